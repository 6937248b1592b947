package io.headroom.model;

/**
 * One conclusion about a host or container, in plain words.
 *
 * @param code                  stable identifier
 * @param severity              how bad
 * @param message               what will happen and why
 * @param container             the container's name, or null for host-wide findings
 * @param recommendedLimitBytes the recommended {@code mem_limit} in bytes, or null
 */
public record Finding(FindingCode code, Severity severity, String message, String container,
                      Long recommendedLimitBytes) {
}
