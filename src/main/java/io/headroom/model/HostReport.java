package io.headroom.model;

import java.util.List;

/**
 * The analysis of one target. When the target could not be scanned, {@code facts} is null and
 * {@code errors} says why.
 *
 * @param target             the target as named by the user
 * @param facts              what the probe saw, or null
 * @param budgetBytes        what the VM can give Dask: MemAvailable + the Dask containers' working
 *                           set − reserve (see docs/decisions/0003-vm-budget.md), or null
 * @param reserveBytes       the reserve kept for the OS and agents
 * @param daskContainers     containers that run Dask workers
 * @param findings           conclusions, most severe first
 * @param errors             plain-words errors (target-level and per-section problems)
 * @param scanMillis         how long the scan of this target took
 */
public record HostReport(
        String target,
        HostFacts facts,
        Long budgetBytes,
        long reserveBytes,
        List<ContainerReport> daskContainers,
        List<Finding> findings,
        List<String> errors,
        long scanMillis) {

    public HostReport {
        daskContainers = List.copyOf(daskContainers);
        findings = List.copyOf(findings);
        errors = List.copyOf(errors);
    }

    /** A report for a target that could not be scanned. */
    public static HostReport failed(String target, String error, long reserveBytes, long millis) {
        return new HostReport(target, null, null, reserveBytes, List.of(), List.of(), List.of(error), millis);
    }

    /** True when the target was scanned. */
    public boolean scanned() {
        return facts != null;
    }

    /** True when the target was scanned and the scan saw everything it looks at (no blind-spot finding). */
    public boolean complete() {
        return scanned() && findings.stream().noneMatch(f -> f.code().blindSpot());
    }

    /**
     * The host's status word, the same in the table, the window, the reports and the JSON: {@code unreachable},
     * {@code critical}, {@code incomplete} (part of the VM could not be seen; never "ok"), {@code warning} or
     * {@code ok} (no finding above info).
     */
    public String status() {
        if (!scanned()) {
            return "unreachable";
        }
        Severity worst = worstSeverity();
        if (worst == Severity.CRITICAL) {
            return "critical";
        }
        if (!complete()) {
            return "incomplete";
        }
        return worst == Severity.WARNING ? "warning" : "ok";
    }

    /** The most severe finding's severity, or null when there is none. */
    public Severity worstSeverity() {
        return findings.stream().map(Finding::severity).max(Enum::compareTo).orElse(null);
    }
}
