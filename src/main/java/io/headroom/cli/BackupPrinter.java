package io.headroom.cli;

import io.headroom.engine.fix.FixService;
import io.headroom.model.HostReport;
import io.headroom.model.ScanReport;

import java.io.IOException;
import java.util.List;

/** {@code headroom fix --backups} and {@code fix --rollback --to BACKUP}: Headroom's backups on the VMs, listed or put back. */
final class BackupPrinter {
    private BackupPrinter() {
    }

    /** Every Headroom backup of the Dask compose files and .env, with who pushed ({@link FixService#backups}). */
    static int list(CliContext cx, ScanReport report, FixService service, String project) {
        int worst = ExitCode.HEALTHY;
        for (HostReport h : report.hosts()) {
            if (!h.scanned()) {
                h.errors().forEach(cx::error);
                worst = ExitCode.UNREACHABLE;
                continue;
            }
            try {
                List<FixService.BackupInfo> all = service.backups(h, project);
                if (all.isEmpty()) {
                    cx.out.println("# " + h.target() + ": no Headroom backup beside the Dask compose files");
                }
                String file = null;
                for (FixService.BackupInfo b : all) {
                    if (!b.file().equals(file)) {
                        file = b.file();
                        cx.out.println("# " + h.target() + ": " + file);
                    }
                    cx.out.println(b.backup() + "  " + b.time() + "  sha256 " + b.sha256().substring(0, 12) + "…  "
                            + (b.pushedBy() == null ? "(" + b.pushedText() + ")" : b.pushedText()));
                }
            } catch (IOException e) {
                cx.error(h.target() + ": " + e.getMessage());
                worst = ExitCode.UNREACHABLE;
            }
        }
        return worst;
    }

    /** One chosen backup back ({@link FixService#rollbackTo}); one target only. */
    static int rollbackTo(CliContext cx, ScanReport report, FixService service, String backup, boolean restart)
            throws FixService.ReadOnlyException {
        if (report.hosts().size() != 1) {
            cx.error("--to names a backup on one VM: give exactly one target");
            return ExitCode.USAGE;
        }
        HostReport h = report.hosts().get(0);
        if (!h.scanned()) {
            h.errors().forEach(cx::error);
            return ExitCode.UNREACHABLE;
        }
        FixService.RollbackOutcome o = service.rollbackTo(h, backup, restart, cx::error);
        o.steps().forEach(s -> cx.out.println("# " + h.target() + ": restored " + s.path() + " from " + s.backup()));
        if (o.error() != null) {
            cx.out.println("# " + h.target() + ": NOT rolled back: " + o.error());
            return ExitCode.UNREACHABLE;
        }
        if (o.restart() != null) {
            cx.out.println("# " + h.target() + ": restart of " + String.join(", ", o.project().services())
                    + (o.restart().ok() ? " done" : " FAILED: " + o.restart().err().strip()));
            return o.restart().ok() ? ExitCode.HEALTHY : ExitCode.UNREACHABLE;
        }
        return ExitCode.HEALTHY;
    }
}
