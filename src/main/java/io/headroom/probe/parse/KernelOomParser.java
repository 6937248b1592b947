package io.headroom.probe.parse;

import io.headroom.model.KernelOomKill;
import io.headroom.model.OomEvent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads OOM-killer lines of the kernel log (mm/oom_kill.c):
 * {@code oom-kill:constraint=CONSTRAINT_MEMCG,...,oom_memcg=/X,task_memcg=/Y,task=NAME,pid=N,uid=U}
 * (dump_oom_summary; a host-wide OOM prints {@code global_oom} instead of {@code oom_memcg=}) and
 * {@code Memory cgroup out of memory: Killed process N (NAME) ...} /
 * {@code Out of memory: Killed process N (NAME) ...} (__oom_kill_process). One event per
 * "Killed process" line, enriched with the memcg of the preceding summary for the same pid.
 * Linear-time scanning (no backtracking regex): a hostile kernel-log section cannot stall a scan.
 */
public final class KernelOomParser {
    private static final int MAX_LINE = 4096;

    private KernelOomParser() {
    }

    public static List<OomEvent> parse(String text) {
        List<OomEvent> events = new ArrayList<>();
        String memcg = null;
        Integer summaryPid = null;
        for (String raw : text.split("\n")) {
            String line = raw.length() > MAX_LINE ? raw.substring(0, MAX_LINE) : raw;
            int summary = line.indexOf("oom-kill:");
            if (summary >= 0) {
                Map<String, String> kv = fields(line.substring(summary + 9));
                String task = kv.get("task_memcg");
                memcg = task != null && !task.isEmpty() ? task : kv.get("oom_memcg");
                summaryPid = parsePid(kv.get("pid"));
                continue;
            }
            int killed = line.indexOf("Killed process ");
            if (killed >= 0) {
                String rest = line.substring(killed + 15);
                int sp = rest.indexOf(' ');
                String pidText = sp > 0 ? rest.substring(0, sp) : "";
                int open = rest.indexOf('(');
                int close = rest.indexOf(')', open + 1);
                if (pidText.isEmpty() || !pidText.chars().allMatch(c -> c >= '0' && c <= '9') || open != sp + 1 || close < 0) {
                    continue; // not the kernel's "Killed process N (name)" shape
                }
                Integer pid = parsePid(pidText);
                String name = rest.substring(open + 1, close);
                String cg = pid != null && pid.equals(summaryPid) ? memcg : null;
                events.add(new OomEvent(line.strip(), pid, name, cg, null));
                memcg = null;
                summaryPid = null;
            }
        }
        return events;
    }

    /**
     * The kills of a kernel log read with wall-clock times (issue 20): {@code dmesg --time-format iso},
     * else {@code journalctl -k -o short-iso} (the {@code host kernel:} part is skipped), else lines
     * without a wall-clock time (monotonic {@code [ 12.34]}: time null). A kill is a memory-cgroup OOM
     * when its summary names {@code oom_memcg=} or its line says "Memory cgroup out of memory"
     * (mm/oom_kill.c, __oom_kill_process), a global OOM when the line says "Out of memory" or the
     * summary {@code global_oom}. The container comes from {@code task_memcg=} ({@link ContainerIds}).
     * Lines are capped at 4096 characters; one pass, no backtracking.
     */
    public static List<KernelOomKill> parseKills(String text) {
        List<KernelOomKill> kills = new ArrayList<>();
        Map<String, String> summary = null;
        String summaryLine = null;
        for (String raw : text.split("\n")) {
            String line = raw.length() > MAX_LINE ? raw.substring(0, MAX_LINE) : raw;
            LogTime.Prefix at = LogTime.prefix(line);
            int s = line.indexOf("oom-kill:");
            if (s >= 0) {
                summary = fields(line.substring(s + 9));
                summaryLine = line.strip();
                continue;
            }
            int killed = line.indexOf("Killed process ");
            if (killed < 0) {
                continue;
            }
            String rest = line.substring(killed + 15);
            int sp = rest.indexOf(' ');
            Integer pid = sp > 0 ? parsePid(rest.substring(0, sp)) : null;
            int open = rest.indexOf('(');
            int close = rest.indexOf(')', open + 1);
            if (pid == null || open != sp + 1 || close < 0) {
                continue;
            }
            Map<String, String> sum = summary != null && pid.equals(parsePid(summary.get("pid"))) ? summary : Map.of();
            boolean memcgLine = line.lastIndexOf("Memory cgroup out of memory", killed) >= 0;
            boolean cgroupOom = memcgLine || sum.containsKey("oom_memcg") && !sum.containsKey("global_oom")
                    && !line.contains("Out of memory");
            String memcg = sum.get("task_memcg");
            String oomMemcg = sum.get("oom_memcg");
            if (memcg == null || memcg.isEmpty()) {
                memcg = oomMemcg;
            }
            List<String> lines = sum.isEmpty() ? List.of(line.strip()) : List.of(summaryLine, line.strip());
            kills.add(new KernelOomKill(at.time(), pid, rest.substring(open + 1, close), cgroupOom,
                    memcg == null || memcg.isEmpty() ? null : memcg, ContainerIds.fromCgroupPath(memcg), lines,
                    cgroupOom && oomMemcg != null && !oomMemcg.isEmpty() ? oomMemcg : null));
            summary = null;
            summaryLine = null;
        }
        return kills;
    }

    /** {@code key=value} pairs separated by commas (values end at the next comma); a bare word maps to "". */
    private static Map<String, String> fields(String s) {
        Map<String, String> kv = new HashMap<>();
        for (String part : s.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                kv.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
            } else if (!part.isBlank()) {
                kv.putIfAbsent(part.strip(), ""); // a bare flag: global_oom
            }
        }
        return kv;
    }

    private static Integer parsePid(String s) {
        Long v = Numbers.parseLongOrNull(s);
        return v == null || v <= 0 || v > Integer.MAX_VALUE ? null : v.intValue();
    }
}
