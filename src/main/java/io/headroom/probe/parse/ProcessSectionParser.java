package io.headroom.probe.parse;

import io.headroom.model.DaskView;
import io.headroom.model.ProcessFacts;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the probe's {@code process} section: cmdline (one argument per line, the NUL separators of
 * {@code /proc/PID/cmdline} turned into newlines), selected {@code /proc/PID/status} lines,
 * the "Max resident set" line of {@code /proc/PID/limits} and the Dask metadata directories found.
 */
public final class ProcessSectionParser {
    private static final Pattern VERSION_DIR =
            Pattern.compile("distributed-([0-9][0-9A-Za-z.+_-]*?)\\.(?:dist-info|egg-info)$");

    private ProcessSectionParser() {
    }

    /**
     * @param pid  the host pid (from the section subject)
     * @param text the section content
     * @param view the process's view of its files (from the dask-view section), or null
     */
    public static ProcessFacts parse(int pid, String text, DaskView view) {
        Map<String, String> blocks = BlockSplitter.split(text);
        String cmdline = blocks.getOrDefault("cmdline", "");
        List<String> argv = new ArrayList<>();
        for (String a : cmdline.split("\n", -1)) {
            argv.add(a);
        }
        while (!argv.isEmpty() && argv.get(argv.size() - 1).isEmpty()) {
            argv.remove(argv.size() - 1);
        }
        Map<String, String> status = new java.util.HashMap<>();
        for (String line : blocks.getOrDefault("status", "").split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                status.put(line.substring(0, colon), line.substring(colon + 1).strip());
            }
        }
        Long ppid = Numbers.parseLongOrNull(status.get("PPid"));
        Long rssKb = null;
        String vmRss = status.get("VmRSS");
        if (vmRss != null) {
            rssKb = Numbers.parseLongOrNull(vmRss.split("\\s+")[0]);
        }
        Set<String> versions = new LinkedHashSet<>();
        for (String dir : blocks.getOrDefault("dask-versions", "").split("\n")) {
            Matcher m = VERSION_DIR.matcher(dir.strip());
            if (m.find()) {
                versions.add(m.group(1));
            }
        }
        return new ProcessFacts(pid, ppid == null ? 0 : ppid.intValue(), argv,
                status.getOrDefault("Name", ""),
                ProcLimitsParser.hardRssLimit(blocks.getOrDefault("limits", "")),
                CpuListParser.count(status.get("Cpus_allowed_list")),
                rssKb == null || rssKb < 0 || rssKb > Long.MAX_VALUE / 1024 ? null : rssKb * 1024,
                List.copyOf(versions), view);
    }

    /** The dask-view line that says whether (and how much of) {@code /proc/PID/environ} was read. */
    public static final String ENVIRON = "/proc/self/environ";

    /**
     * Parses a {@code dask-view} section: {@code path<TAB>value} lines; {@code <absent>} marks a missing file.
     * {@code environ<TAB>NAME=value} lines are the process's environment (read when {@code /proc/self/environ}
     * says {@code read N}; a newline inside a value travels as U+0001), kept raw: no whitespace stripped.
     */
    public static DaskView parseView(String text) {
        Map<String, String> files = new java.util.LinkedHashMap<>();
        Map<String, String> environ = null;
        List<String> config = new java.util.ArrayList<>();
        Long memTotal = null;
        for (String line : text.split("\n")) {
            int tab = line.indexOf('\t');
            if (tab <= 0) {
                continue;
            }
            String path = line.substring(0, tab);
            if (path.equals("yaml") || path.equals("yaml-file") || path.equals("yaml-unread")) {
                config.add(line);
                continue;
            }
            if (path.equals("environ")) {
                String kv = line.substring(tab + 1);
                int eq = kv.indexOf('=');
                if (environ != null && eq > 0) {
                    environ.put(kv.substring(0, eq), kv.substring(eq + 1).replace('\u0001', '\n'));
                }
                continue;
            }
            if (path.equals(ENVIRON) && line.substring(tab + 1).startsWith("read ")) {
                environ = new java.util.LinkedHashMap<>();
            }
            String value = line.substring(tab + 1).strip();
            if (value.equals("<absent>")) {
                continue;
            }
            if (path.equals("/proc/meminfo")) {
                memTotal = MemInfoParser.memTotalOrNull(value);
            } else {
                files.put(path, value);
            }
        }
        return new DaskView(memTotal, files, environ, config);
    }
}
