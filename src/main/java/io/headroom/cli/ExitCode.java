package io.headroom.cli;

import io.headroom.model.HostReport;
import io.headroom.model.ScanReport;
import io.headroom.model.Severity;

/** Process exit codes of {@code headroom scan}. */
public final class ExitCode {
    public static final int HEALTHY = 0;
    public static final int FINDINGS = 1;
    public static final int USAGE = 2;
    public static final int UNREACHABLE = 3;

    private ExitCode() {
    }

    /**
     * 3 when any target could not be scanned, else 1 when any warning or critical finding (a scan that could not
     * see everything has the warning SCAN_INCOMPLETE or DOCKER_NOT_PERMITTED), else 0.
     */
    public static int of(ScanReport report) {
        if (report.hosts().stream().anyMatch(h -> !h.scanned())) {
            return UNREACHABLE;
        }
        for (HostReport h : report.hosts()) {
            Severity worst = h.worstSeverity();
            if (worst != null && worst.compareTo(Severity.WARNING) >= 0) {
                return FINDINGS;
            }
        }
        return HEALTHY;
    }
}
