package io.headroom.model;

import java.util.Map;

/**
 * Facts from {@code /proc/meminfo}.
 *
 * @param memTotalBytes     MemTotal in bytes
 * @param memAvailableBytes MemAvailable in bytes (the kernel's estimate of memory available for new
 *                          work without swapping)
 * @param fieldsBytes       every field of the file, in bytes when the file gave a {@code kB} unit,
 *                          as-is otherwise (page counts such as HugePages_Total)
 */
public record MemInfo(long memTotalBytes, long memAvailableBytes, Map<String, Long> fieldsBytes) {
    public MemInfo {
        fieldsBytes = Map.copyOf(fieldsBytes);
    }
}
