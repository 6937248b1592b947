package io.headroom.probe.parse;

import io.headroom.model.CgroupMemory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses the probe's {@code container-cgroup} section: the container's {@code /proc/PID/cgroup},
 * the cgroup directory and its memory files, for cgroup v1 (Documentation/admin-guide/cgroup-v1/memory.rst)
 * or v2 (Documentation/admin-guide/cgroup-v2.rst, "Memory Interface Files").
 */
public final class CgroupSectionParser {
    /**
     * At or above this a v1 limit means "no limit": the kernel shows PAGE_COUNTER_MAX × PAGE_SIZE
     * (9223372036854771712 with 4 KiB pages) when unlimited; nothing enforceable is this large.
     */
    public static final long V1_UNLIMITED_THRESHOLD = 1L << 62;

    private CgroupSectionParser() {
    }

    /** @throws UnreadableSectionException when no cgroup directory line is present */
    public static CgroupMemory parse(String text) {
        Map<String, String> blocks = BlockSplitter.split(text);
        String dirKey = blocks.keySet().stream().filter(k -> k.startsWith("dir ")).findFirst()
                .orElseThrow(() -> new UnreadableSectionException("no cgroup directory in the section"));
        String[] dir = dirKey.split(" ", 3);
        if (dir.length < 3 || !(dir[1].equals("v1") || dir[1].equals("v2"))) {
            throw new UnreadableSectionException("malformed cgroup directory line: " + dirKey);
        }
        Map<String, String> raw = new LinkedHashMap<>();
        blocks.forEach((k, v) -> {
            if (!k.startsWith("dir ")) {
                raw.put(k, v);
            }
        });
        return dir[1].equals("v1") ? v1(dir[2], raw) : v2(dir[2], raw);
    }

    private static CgroupMemory v1(String directory, Map<String, String> raw) {
        Map<String, Long> stat = statMap(raw.get("memory.stat"));
        Long inactive = stat.containsKey("total_inactive_file") ? stat.get("total_inactive_file") : stat.get("inactive_file");
        Long quota = Numbers.parseLongOrNull(raw.get("cpu.cfs_quota_us"));
        return new CgroupMemory(1, directory,
                v1Limit(raw.get("memory.limit_in_bytes")),
                v1Limit(raw.get("memory.soft_limit_in_bytes")),
                null, null,
                Numbers.parseLongOrNull(raw.get("memory.usage_in_bytes")),
                Numbers.parseLongOrNull(raw.get("memory.max_usage_in_bytes")),
                inactive,
                statMap(raw.get("memory.oom_control")).get("oom_kill"),
                quota != null && quota > 0 ? quota : null,
                Numbers.parseLongOrNull(raw.get("cpu.cfs_period_us")),
                raw);
    }

    private static CgroupMemory v2(String directory, Map<String, String> raw) {
        Long low = v2Value(raw.get("memory.low"));
        Long quota = null;
        Long period = null;
        String cpuMax = raw.get("cpu.max");
        if (cpuMax != null) {
            String[] parts = cpuMax.strip().split("\\s+");
            quota = v2Value(parts[0]);
            period = parts.length > 1 ? v2Value(parts[1]) : null;
        }
        return new CgroupMemory(2, directory,
                v2Value(raw.get("memory.max")),
                null,
                v2Value(raw.get("memory.high")),
                low != null && low > 0 ? low : null,
                Numbers.parseLongOrNull(raw.get("memory.current")),
                Numbers.parseLongOrNull(raw.get("memory.peak")),
                statMap(raw.get("memory.stat")).get("inactive_file"),
                statMap(raw.get("memory.events")).get("oom_kill"),
                quota, period, raw);
    }

    /** A v1 limit file: null when unlimited or unreadable. */
    static Long v1Limit(String text) {
        Long v = Numbers.parseLongOrNull(text);
        return v == null || v <= 0 || v >= V1_UNLIMITED_THRESHOLD ? null : v;
    }

    /** A v2 value: {@code max}, unreadable or negative (not a kernel format) is null. */
    static Long v2Value(String text) {
        if (text == null || text.strip().equals("max")) {
            return null;
        }
        Long v = Numbers.parseLongOrNull(text);
        return v == null || v < 0 ? null : v;
    }

    /** {@code key value} lines (memory.stat, memory.events, memory.oom_control). */
    public static Map<String, Long> statMap(String text) {
        Map<String, Long> map = new LinkedHashMap<>();
        if (text == null) {
            return map;
        }
        for (String line : text.split("\n")) {
            String[] kv = line.strip().split("\\s+");
            if (kv.length == 2) {
                Long v = Numbers.parseLongOrNull(kv[1]);
                if (v != null) {
                    map.put(kv[0], v);
                }
            }
        }
        return map;
    }
}
