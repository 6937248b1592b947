package io.headroom.probe.parse;

/**
 * Counts CPUs in a kernel cpu list such as {@code 0-3,8,10-11} (Cpus_allowed_list in
 * /proc/PID/status, format of cpuset(7) "List format").
 */
public final class CpuListParser {
    private CpuListParser() {
    }

    /** The number of CPUs, or null when the list is malformed. */
    public static Integer count(String list) {
        if (list == null || list.isBlank()) {
            return null;
        }
        int total = 0;
        String[] parts = list.strip().split(",");
        if (parts.length == 0) {
            return null;
        }
        for (String part : parts) {
            String[] range = part.split("-", -1);
            Long lo = Numbers.parseLongOrNull(range[0]);
            Long hi = range.length == 2 ? Numbers.parseLongOrNull(range[1]) : lo;
            if (lo == null || hi == null || range.length > 2 || hi < lo || hi - lo > 65536) {
                return null;
            }
            total += (int) (hi - lo + 1);
            if (total > 1 << 20) {
                return null;
            }
        }
        return total;
    }
}
