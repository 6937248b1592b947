package io.headroom.model;

import java.util.Map;

/**
 * A container's memory cgroup as the kernel enforces it, read on the host side. Limits are
 * {@code null} when the cgroup has none (v1 shows a huge page-aligned number, v2 the word
 * {@code max}); all sizes in bytes.
 *
 * @param version           1 or 2
 * @param directory         the cgroup directory the files were read from
 * @param hardLimitBytes    v1 {@code memory.limit_in_bytes} / v2 {@code memory.max}; null when unlimited
 * @param softLimitBytes    v1 {@code memory.soft_limit_in_bytes}; null when unlimited or v2
 * @param highBytes         v2 {@code memory.high}; null when unlimited or v1
 * @param lowBytes          v2 {@code memory.low}; null when 0 or v1
 * @param usageBytes        v1 {@code memory.usage_in_bytes} / v2 {@code memory.current}
 * @param peakBytes         v1 {@code memory.max_usage_in_bytes} / v2 {@code memory.peak}; null when absent
 * @param inactiveFileBytes {@code total_inactive_file} (v1) or {@code inactive_file} (v2) from memory.stat
 * @param oomKills          {@code oom_kill} from v1 memory.oom_control or v2 memory.events; null when absent
 * @param cpuQuotaMicros    CFS quota (v1 cpu.cfs_quota_us / v2 cpu.max), null when unlimited
 * @param cpuPeriodMicros   CFS period, null when unknown
 * @param rawFiles          every file read, name to raw content, for provenance
 */
public record CgroupMemory(
        int version,
        String directory,
        Long hardLimitBytes,
        Long softLimitBytes,
        Long highBytes,
        Long lowBytes,
        Long usageBytes,
        Long peakBytes,
        Long inactiveFileBytes,
        Long oomKills,
        Long cpuQuotaMicros,
        Long cpuPeriodMicros,
        Map<String, String> rawFiles) {

    public CgroupMemory {
        rawFiles = Map.copyOf(rawFiles);
    }

    /** Memory in use that the kernel could not simply drop: usage − inactive_file, in bytes, or null. */
    public Long workingSetBytes() {
        if (usageBytes == null) {
            return null;
        }
        long inactive = inactiveFileBytes == null ? 0 : inactiveFileBytes;
        return Math.max(0, usageBytes - inactive);
    }
}
