package io.headroom.cli;

import io.headroom.analysis.WhatIf;
import io.headroom.engine.HeadroomVersion;
import io.headroom.engine.ScanEngine;
import io.headroom.engine.ScanListener;
import io.headroom.engine.ScanOptions;
import io.headroom.engine.TransportRunners;
import io.headroom.engine.fix.AuditLog;
import io.headroom.engine.fix.FixPlan;
import io.headroom.engine.fix.FixPlanner;
import io.headroom.engine.fix.FixService;
import io.headroom.engine.fix.Pusher;
import io.headroom.engine.fix.TransportVmAccess;
import io.headroom.engine.inventory.ConfigPaths;
import io.headroom.engine.inventory.Settings;
import io.headroom.model.Bytes;
import io.headroom.model.HostReport;
import io.headroom.model.ScanReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code headroom fix}: without --apply the corrected compose files as unified diffs (nothing is
 * written); with --apply they are pushed (and restarted and verified with --restart); with
 * --rollback the newest Headroom backups are put back.
 */
@Command(name = "fix", mixinStandardHelpOptions = true, versionProvider = HeadroomCommand.Version.class,
        header = "Write corrected compose files: print them as diffs, push them, or roll a push back.",
        description = {
                "Plans, for every Dask compose service with a memory finding, the limit Headroom recommends, and prints"
                        + " the corrected compose files (and .env in env mode) as unified diffs. Nothing is written"
                        + " without --apply.",
                "Env mode writes mem_limit: $${AVAILABLE_MEMORY_FOR_DASK:-0} and sets the variable in the project's .env"
                        + " ('headroom boot-snippet' keeps it current at boot); literal mode writes the bytes.",
                "Read-only mode (headroom settings read-only on, or HEADROOM_READ_ONLY=1) refuses --apply and"
                        + " --rollback. Every push and rollback is recorded in the audit log."})
final class FixCommand implements Callable<Integer> {
    @ParentCommand
    HeadroomCommand parent;

    @Mixin
    FleetOptions fleet;

    @Option(names = "--mode", paramLabel = "MODE", completionCandidates = Converters.ModeWords.class,
            description = "env (default) or literal.")
    String mode = "env";

    @Option(names = "--apply",
            description = "Push the corrected files under a lock on the VM (flock on .headroom.lock): temporary file,"
                    + " validation by the VM's compose, backup FILE.headroom-<UTC>.bak, hash check again, atomic rename,"
                    + " hash check.")
    boolean apply;

    @Option(names = "--restart",
            description = "Then restart only the affected services (up -d --no-deps): the workers restart and the tasks"
                    + " running on them are lost; then scan again and verify.")
    boolean restart;

    @Option(names = "--rollback", description = "Put back the newest Headroom backup of each compose file and .env.")
    boolean rollback;

    @Option(names = "--to", paramLabel = "BACKUP",
            description = "With --rollback: put back this backup (any of them, see --backups); refused unless the file is exactly"
                    + " what Headroom last wrote there (audit log). One target.")
    String rollbackTo;

    @Option(names = "--backups",
            description = "List the Headroom backups of each compose file and .env: time, sha256, who pushed (from this machine's"
                    + " audit log).")
    boolean backups;

    @Option(names = "--project", paramLabel = "NAME", description = "Only this compose project (com.docker.compose.project).")
    String project;

    @Option(names = "--what-if", paramLabel = "LIMIT", converter = Converters.DockerSize.class,
            description = "Change nothing: show what Dask and the kernel would do with this cgroup limit (as compose reads"
                    + " mem_limit: 2g, 1536m, bytes; none) for each"
                    + " Dask container: its budget, spill, pause and restart points, findings and verdict, now and after.")
    Long whatIfLimit;

    @Option(names = "--what-if-memory-limit", paramLabel = "SPEC",
            description = "With or without --what-if: the workers' --memory-limit instead (auto, 4GiB, 0.5, bytes).")
    String whatIfMemoryLimit;

    @Option(names = "--what-if-nworkers", paramLabel = "N", description = "With or without --what-if: the workers' --nworkers"
            + " instead (2, -1, auto).")
    String whatIfNworkers;

    @Option(names = "--container", paramLabel = "NAME", description = "Only this container (with --what-if…).")
    String container;

    private CliContext cx;

    @Override
    public Integer call() {
        cx = parent.context;
        if (!mode.equals("env") && !mode.equals("literal")) {
            throw fleet.usage("--mode must be env or literal, not '" + mode + "'");
        }
        if (apply && rollback) {
            throw fleet.usage("--apply and --rollback cannot be combined");
        }
        if (restart && !apply && !rollback) {
            throw fleet.usage("--restart needs --apply or --rollback");
        }
        if (rollbackTo != null && !rollback) {
            throw fleet.usage("--to needs --rollback");
        }
        if (backups && (apply || rollback)) {
            throw fleet.usage("--backups only lists; it cannot be combined with --apply or --rollback");
        }
        WhatIf.Change whatIf = new WhatIf.Change(whatIfLimit, whatIfMemoryLimit, whatIfNworkers);
        if (!whatIf.none() && (apply || rollback)) {
            throw fleet.usage("--what-if changes nothing: it cannot be combined with --apply or --rollback");
        }
        FleetOptions.Resolved resolved = fleet.resolve();
        boolean changes = apply || rollback;
        Settings settings = null;
        if (changes) {
            try {
                settings = cx.settings.load();
            } catch (IOException e) {
                cx.error("cannot read the settings: " + e.getMessage() + " (treated as read-only)");
                return ExitCode.USAGE;
            }
            if (settings.readOnly()) {
                cx.error(new FixService.ReadOnlyException(settings).getMessage());
                return ExitCode.USAGE;
            }
        }
        ScanOptions options = resolved.scanOptions(fleet);
        try (TransportRunners runners = fleet.runners(resolved)) {
            ScanEngine engine = cx.engine != null ? cx.engine : new ScanEngine(runners, HeadroomVersion.get());
            ScanReport report = engine.scan(resolved.targets(), options, ScanListener.NONE);
            if (!whatIf.none()) {
                return WhatIfPrinter.print(cx, report, whatIf, project, container);
            }
            FixService service = changes ? new FixService(new TransportVmAccess(runners), engine, options,
                    new AuditLog(ConfigPaths.auditLogFile()), settings) : null;
            if (backups) {
                return BackupPrinter.list(cx, report, new FixService(new TransportVmAccess(runners), engine, options,
                        new AuditLog(ConfigPaths.auditLogFile()), new Settings(false, "listing only")), project);
            }
            if (rollback && rollbackTo != null) {
                return BackupPrinter.rollbackTo(cx, report, service, rollbackTo, restart);
            }
            return rollback ? rollback(report, service) : plan(report, service, resolved.scheduler());
        } catch (FixService.ReadOnlyException e) {
            cx.error(e.getMessage());
            return ExitCode.USAGE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.UNREACHABLE;
        }
    }

    /** Prints each plan's diff, and pushes it with --apply; returns the worst exit code. */
    private int plan(ScanReport report, FixService service, String scheduler) throws FixService.ReadOnlyException, InterruptedException {
        int plans = 0;
        int blind = 0;
        int worst = ExitCode.of(report);
        boolean anyApplied = false;
        for (HostReport h : report.hosts()) {
            if (!h.scanned()) {
                h.errors().forEach(cx::error);
                continue;
            }
            if (!h.complete()) {
                blind++;
                h.findings().stream().filter(f -> f.code().blindSpot())
                        .forEach(f -> cx.error(h.target() + ": cannot plan a fix: " + f.message()));
            }
            for (FixPlan p : FixPlanner.plan(h, mode.equals("env"))) {
                if (project != null && !project.equals(p.project())) {
                    continue;
                }
                plans++;
                cx.out.println("# " + h.target() + ": compose project " + p.project() + " in " + p.workingDir()
                        + ", services " + p.services() + ": mem_limit " + p.bytes() + " bytes (" + Bytes.human(p.bytes()) + ")");
                if (p.refusal() != null) {
                    cx.out.println("# cannot edit safely: " + p.refusal());
                    continue;
                }
                p.notes().forEach(n -> cx.out.println("# " + n));
                cx.out.print(p.diff());
                if (apply) {
                    FixService.Outcome o = service.apply(p, restart, scheduler, line -> cx.error(line));
                    worst = Math.max(worst, printOutcome(o));
                    anyApplied |= o.error() == null;
                }
            }
        }
        if (plans == 0 && blind == 0) {
            cx.out.println("# nothing to fix: no Dask compose service has a memory finding with a recommended limit");
        } else if (plans == 0) {
            cx.out.println("# nothing planned: " + blind + " target(s) could not be seen whole (see above), so whether"
                    + " anything needs fixing is not known");
        }
        if (anyApplied) {
            cx.out.println("# audit log: " + ConfigPaths.auditLogFile());
        }
        return worst;
    }

    /** Prints an apply outcome; returns its exit code (0 verified, 1 findings remain, 3 not changed). */
    private int printOutcome(FixService.Outcome o) {
        for (Pusher.Step s : o.steps()) {
            cx.out.println("# pushed " + s.path() + " (sha256 " + s.shaBefore().substring(0, 12) + "… → " + s.shaAfter().substring(0, 12)
                    + "…)" + (s.backup() == null ? "" : ", backup " + s.backup()));
        }
        if (o.error() != null) {
            cx.out.println("# NOT applied: " + o.error());
            return ExitCode.UNREACHABLE;
        }
        if (o.restart() == null) {
            cx.out.println("# the new limit takes effect when the services are recreated: headroom fix --apply --restart,"
                    + " or on the VM: docker-compose up -d --no-deps " + String.join(" ", o.plan().services()));
            return ExitCode.FINDINGS;
        }
        o.restart().notes().forEach(n -> cx.out.println("# note: " + n));
        if (!o.restart().ok()) {
            cx.out.println("# restart FAILED (exit " + o.restart().status() + "): " + o.restart().err().strip());
            return ExitCode.UNREACHABLE;
        }
        cx.out.println("# restarted " + String.join(", ", o.plan().services()));
        FixService.Verification v = o.verification();
        cx.out.println("# verification " + (v.ok() ? "OK" : "FAILED") + ":");
        v.lines().forEach(l -> cx.out.println("#   " + l));
        return v.ok() && v.after() != null ? ExitCode.of(new ScanReport(HeadroomVersion.get(), 0, List.of(v.after()))) : ExitCode.FINDINGS;
    }

    private int rollback(ScanReport report, FixService service) throws FixService.ReadOnlyException, InterruptedException {
        int worst = ExitCode.HEALTHY;
        int done = 0;
        for (HostReport h : report.hosts()) {
            if (!h.scanned()) {
                h.errors().forEach(cx::error);
                worst = ExitCode.UNREACHABLE;
                continue;
            }
            for (FixService.RollbackOutcome o : service.rollback(h, project, restart, line -> cx.error(line))) {
                for (Pusher.Step s : o.steps()) {
                    done++;
                    cx.out.println("# " + h.target() + ": restored " + s.path() + " from " + s.backup());
                }
                if (o.error() != null) {
                    cx.out.println("# " + h.target() + ": project " + o.project().project() + ": " + o.error());
                    if (!o.steps().isEmpty() || !o.error().startsWith("no Headroom backup")) {
                        worst = ExitCode.UNREACHABLE;
                    }
                }
                if (o.restart() != null) {
                    cx.out.println("# " + h.target() + ": restart of " + String.join(", ", o.project().services())
                            + (o.restart().ok() ? " done" : " FAILED: " + o.restart().err().strip()));
                    if (!o.restart().ok()) {
                        worst = ExitCode.UNREACHABLE;
                    }
                }
            }
        }
        if (done == 0) {
            cx.out.println("# nothing rolled back: no Headroom backup found beside the Dask compose files");
        }
        return worst;
    }
}
