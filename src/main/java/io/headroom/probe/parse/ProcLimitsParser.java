package io.headroom.probe.parse;

/**
 * Reads the "Max resident set" line of {@code /proc/PID/limits} (fs/proc/base.c, proc_pid_limits:
 * columns Limit, Soft Limit, Hard Limit, Units; {@code unlimited} for RLIM_INFINITY).
 */
public final class ProcLimitsParser {
    private ProcLimitsParser() {
    }

    /** The hard RLIMIT_RSS in bytes, or null when unlimited or absent. */
    public static Long hardRssLimit(String text) {
        for (String line : text.split("\n")) {
            if (line.startsWith("Max resident set")) {
                String[] cols = line.substring("Max resident set".length()).strip().split("\\s+");
                if (cols.length >= 2) {
                    return Numbers.parseLongOrNull(cols[1]);
                }
            }
        }
        return null;
    }
}
