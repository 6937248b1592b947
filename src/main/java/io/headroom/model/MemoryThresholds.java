package io.headroom.model;

/**
 * Dask's worker memory thresholds as fractions of the worker's memory limit; a null fraction
 * means the mechanism is disabled ({@code False} in Dask's configuration).
 *
 * @param target    start spilling the least recently used data to disk (default 0.6)
 * @param spill     spill based on process memory (default 0.7)
 * @param pause     pause accepting new tasks (default 0.8)
 * @param terminate the nanny restarts the worker (default 0.95)
 */
public record MemoryThresholds(Double target, Double spill, Double pause, Double terminate) {
    /** Dask's defaults, from {@code distributed/distributed.yaml} ({@code distributed.worker.memory}). */
    public static final MemoryThresholds DEFAULTS = new MemoryThresholds(0.6, 0.7, 0.8, 0.95);

    /** fraction × limit, truncated to whole bytes, or null when disabled or no limit. */
    public static Long bytes(Double fraction, Long limitBytes) {
        if (fraction == null || limitBytes == null) {
            return null;
        }
        return (long) Math.floor(fraction * limitBytes);
    }
}
