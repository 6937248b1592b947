package io.headroom.model;

import java.util.List;

/**
 * The result of scanning one or more targets.
 *
 * @param headroomVersion the tool's version
 * @param startedEpochMillis when the scan started (operator's clock)
 * @param hosts           one report per target, in the order given
 */
public record ScanReport(String headroomVersion, long startedEpochMillis, List<HostReport> hosts) {
    public ScanReport {
        hosts = List.copyOf(hosts);
    }
}
