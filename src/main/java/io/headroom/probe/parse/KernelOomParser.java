package io.headroom.probe.parse;

import io.headroom.model.OomEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads OOM-killer lines of the kernel log (mm/oom_kill.c):
 * {@code oom-kill:constraint=CONSTRAINT_MEMCG,...,oom_memcg=/X,task_memcg=/Y,task=NAME,pid=N,uid=U}
 * (dump_oom_summary) and {@code Memory cgroup out of memory: Killed process N (NAME) ...} /
 * {@code Out of memory: Killed process N (NAME) ...} (__oom_kill_process).
 * One event per "Killed process" line, enriched with the memcg of the preceding oom-kill summary.
 */
public final class KernelOomParser {
    private static final Pattern SUMMARY = Pattern.compile(
            "oom-kill:.*?oom_memcg=([^,\\s]*).*?task_memcg=([^,\\s]*).*?task=([^,]*),pid=(\\d+)");
    private static final Pattern KILLED = Pattern.compile("Killed process (\\d+) \\(([^)]*)\\)");

    private KernelOomParser() {
    }

    public static List<OomEvent> parse(String text) {
        List<OomEvent> events = new ArrayList<>();
        String memcg = null;
        Integer summaryPid = null;
        for (String line : text.split("\n")) {
            Matcher s = SUMMARY.matcher(line);
            if (s.find()) {
                memcg = s.group(2).isEmpty() ? s.group(1) : s.group(2);
                summaryPid = parsePid(s.group(4));
                continue;
            }
            Matcher k = KILLED.matcher(line);
            if (k.find()) {
                Integer pid = parsePid(k.group(1));
                String cg = pid != null && pid.equals(summaryPid) ? memcg : null;
                events.add(new OomEvent(line.strip(), pid, k.group(2), cg, null));
                memcg = null;
                summaryPid = null;
            }
        }
        return events;
    }

    private static Integer parsePid(String s) {
        Long v = Numbers.parseLongOrNull(s);
        return v == null || v > Integer.MAX_VALUE ? null : v.intValue();
    }
}
