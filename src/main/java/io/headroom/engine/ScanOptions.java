package io.headroom.engine;

import java.time.Duration;

/**
 * @param reserveBytes reserve kept for the OS and agents, or null for the default (5% of MemTotal)
 * @param timeout      per-target probe timeout
 * @param parallelism  targets probed at once
 */
public record ScanOptions(Long reserveBytes, Duration timeout, int parallelism) {
    public static final ScanOptions DEFAULTS = new ScanOptions(null, Duration.ofSeconds(60), 16);
}
