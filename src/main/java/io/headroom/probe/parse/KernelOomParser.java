package io.headroom.probe.parse;

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

    /** {@code key=value} pairs separated by commas; values end at the next comma. */
    private static Map<String, String> fields(String s) {
        Map<String, String> kv = new HashMap<>();
        for (String part : s.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                kv.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
            }
        }
        return kv;
    }

    private static Integer parsePid(String s) {
        Long v = Numbers.parseLongOrNull(s);
        return v == null || v <= 0 || v > Integer.MAX_VALUE ? null : v.intValue();
    }
}
