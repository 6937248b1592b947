package io.headroom.cli;

import io.headroom.analysis.dask.DaskByteSize;
import io.headroom.engine.HeadroomVersion;
import io.headroom.engine.Redactor;
import io.headroom.engine.ReportJson;
import io.headroom.engine.ScanEngine;
import io.headroom.engine.ScanListener;
import io.headroom.engine.ScanOptions;
import io.headroom.engine.Snapshots;
import io.headroom.engine.TransportRunners;
import io.headroom.engine.inventory.Cluster;
import io.headroom.engine.inventory.ConfigPaths;
import io.headroom.engine.inventory.GroundTruth;
import io.headroom.engine.inventory.Inventory;
import io.headroom.engine.inventory.SchedulerDiscovery;
import io.headroom.engine.inventory.Settings;
import io.headroom.engine.fix.AuditLog;
import io.headroom.engine.fix.FixPlan;
import io.headroom.engine.fix.FixPlanner;
import io.headroom.engine.fix.FixService;
import io.headroom.engine.fix.Pusher;
import io.headroom.engine.fix.TransportVmAccess;
import io.headroom.model.Bytes;
import io.headroom.model.HostReport;
import io.headroom.model.ScanReport;
import io.headroom.ssh.Prompter;
import io.headroom.ssh.SshProbeRunner;
import io.headroom.ssh.SshTarget;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The command line: {@code headroom --version | scan | discover | clusters}. */
public final class HeadroomCli {
    private final PrintStream out;
    private final PrintStream err;
    private final ScanEngine engine;
    private SettingsLoader settingsLoader = Settings::load;

    /** Where the global settings come from (the settings file and HEADROOM_READ_ONLY; replaced in tests). */
    interface SettingsLoader {
        Settings load() throws IOException;
    }

    HeadroomCli withSettings(SettingsLoader loader) {
        this.settingsLoader = loader;
        return this;
    }

    /** @param engine the engine to use, or null for the real transports (local and SSH) */
    public HeadroomCli(PrintStream out, PrintStream err, ScanEngine engine) {
        this.out = out;
        this.err = err;
        this.engine = engine;
    }

    /** The process entry point for CLI use. */
    public static void main(String[] args) {
        int code = new HeadroomCli(System.out, System.err, null).run(args);
        System.out.flush();
        System.exit(code);
    }

    static final String USAGE = """
            Usage: headroom --version
            %2$s
            %4$s
                   headroom scan [options] [TARGET...]
                   headroom discover http://SCHEDULER:8787 [--save NAME] [--json] [--inventory FILE]
                   headroom clusters [--inventory FILE]
                   headroom fix [--mode env|literal] [--reserve SIZE] [--apply [--restart]] [--project NAME] [scan options] TARGET...
                   headroom fix --rollback [--restart] [--project NAME] [scan options] TARGET...
                   headroom fix --rollback --to BACKUP [--restart] [scan options] TARGET
                   headroom fix --backups [--project NAME] [scan options] TARGET...
                   headroom settings [read-only on|off]
            TARGET is 'local' (this machine, the default), [user@]host[:port] or an alias from ~/.ssh/config.
            scan options:
              --json                 print one JSON document instead of a table
              --redact               replace hostnames, IP addresses and users with stable pseudonyms (host-1, ip-1,
                                     user-1) in everything printed and saved, for sharing the report
              --snapshot FILE        also save the scan as a snapshot (FILE.headroom.json, mode 0600) that
                                     'headroom report' and the window open; with --redact, redacted
              --cluster NAME         scan the hosts of a cluster from the inventory (with its user, jump, sudo, reserve)
              --inventory FILE       the clusters file (default: %s)
              --reserve SIZE         memory kept for the OS and agents (e.g. 512MiB, 1GiB, or bytes); default 5%% of MemTotal
              --timeout SECS         give up on a target's probe after this long (default 60)
              --connect-timeout SECS SSH connect timeout when ~/.ssh/config sets none (default 10)
              --parallel N           targets scanned at once (default 16)
              --accept-new           accept and remember unknown host keys (like StrictHostKeyChecking=accept-new);
                                     a changed host key is always refused
              --sudo auto|never|always  use 'sudo -n docker' on the VMs when plain docker is refused (default auto)
              --ssh-config FILE      use this ssh config instead of ~/.ssh/config (ssh -F)
              --scheduler URL        compare predictions with the scheduler's /json/identity.json
              --watch SECS           scan again every SECS seconds on warm connections until interrupted
            fix: without --apply it prints unified diffs and changes nothing.
              --apply                push the corrected files under a lock on the VM (flock on .headroom.lock; temporary
                                     file, validation by the VM's compose, backup FILE.headroom-<UTC>.bak, hash
                                     check again, atomic rename, hash check)
              --restart              then restart only the affected services (up -d --no-deps): the workers
                                     restart and the tasks running on them are lost; re-scan and verify
              --rollback             put back the newest Headroom backup of each compose file and .env
              --to BACKUP            with --rollback: put back this backup (any of them, see --backups); refused
                                     unless the file is exactly what Headroom last wrote there (audit log)
              --backups              list the Headroom backups of each compose file and .env: time, sha256,
                                     who pushed (from this machine's audit log)
              --project NAME         only this compose project (com.docker.compose.project)
            boot-snippet: the script and two systemd units for env mode (mem_limit: ${AVAILABLE_MEMORY_FOR_DASK:-0}):
              write MemAvailable (less --reserve, whole pages) into the project's .env before docker starts, then
              have compose recreate the containers with it (docker's restart policies keep the old limit).
            Read-only mode (headroom settings read-only on, or HEADROOM_READ_ONLY=1) refuses --apply and --rollback.
            Every push and rollback is recorded in %3$s.
            Exit codes: 0 healthy, 1 warning or critical findings, 2 usage error, 3 a target could not be scanned
            (or, for fix, could not be changed).
            """;

    static String usageText() {
        return String.format(Locale.ROOT, USAGE, ConfigPaths.inventoryFile(), ReportCommand.USAGE, ConfigPaths.auditLogFile(),
                BootSnippetCommand.USAGE);
    }

    /** Parsed scan options. */
    private static final class ScanArgs {
        boolean json;
        boolean redact;
        boolean acceptNew;
        Path snapshot;
        String rollbackTo;
        boolean backups;
        Long reserve;
        Duration timeout = ScanOptions.DEFAULTS.timeout();
        Duration connectTimeout = TransportRunners.Options.DEFAULTS.connectTimeout();
        int parallel = ScanOptions.DEFAULTS.parallelism();
        SshProbeRunner.SudoMode sudo = SshProbeRunner.SudoMode.AUTO;
        Path sshConfig;
        Path inventory;
        String cluster;
        String scheduler;
        Integer watch;
        String saveName;
        String mode = "env";
        boolean apply;
        boolean restart;
        boolean rollback;
        String project;
        final List<String> positional = new ArrayList<>();
    }

    /** A usage error with its message. */
    private static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    public int run(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            (args.length == 0 ? err : out).print(usageText());
            return args.length == 0 ? ExitCode.USAGE : ExitCode.HEALTHY;
        }
        if (args[0].equals("--version") || args[0].equals("version")) {
            out.println("headroom " + HeadroomVersion.get());
            return ExitCode.HEALTHY;
        }
        try {
            return switch (args[0]) {
                case "scan" -> scan(parse(args));
                case "discover" -> discover(parse(args));
                case "clusters" -> clusters(parse(args));
                case "report" -> ReportCommand.run(args, out, err);
                case "boot-snippet" -> BootSnippetCommand.run(args, out, err);
                case "fix" -> fix(parse(args));
                case "settings" -> settings(parse(args));
                default -> throw new UsageException("unknown command '" + args[0] + "'");
            };
        } catch (UsageException e) {
            err.println("headroom: " + e.getMessage());
            err.print(usageText());
            return ExitCode.USAGE;
        }
    }

    private static ScanArgs parse(String[] args) throws UsageException {
        ScanArgs a = new ScanArgs();
        for (int i = 1; i < args.length; i++) {
            String opt = args[i];
            switch (opt) {
                case "--json" -> a.json = true;
                case "--redact" -> a.redact = true;
                case "--snapshot" -> a.snapshot = Path.of(value(args, ++i, opt, "a file (NAME.headroom.json)"));
                case "--accept-new" -> a.acceptNew = true;
                case "--reserve" -> {
                    String v = value(args, ++i, opt, "a size, e.g. --reserve 1GiB");
                    DaskByteSize.Parsed p = DaskByteSize.parse(v);
                    if (!p.ok() || p.bytes() == null || p.bytes() < 0) {
                        throw new UsageException("--reserve: cannot read '" + v + "' as a size (" + p.error() + ")");
                    }
                    a.reserve = p.bytes();
                }
                case "--timeout", "--connect-timeout", "--parallel", "--watch" -> {
                    String v = value(args, ++i, opt, "a whole number");
                    int n;
                    try {
                        n = Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        throw new UsageException(opt + ": '" + v + "' is not a whole number");
                    }
                    if (n <= 0) {
                        throw new UsageException(opt + " must be positive");
                    }
                    switch (opt) {
                        case "--timeout" -> a.timeout = Duration.ofSeconds(n);
                        case "--connect-timeout" -> a.connectTimeout = Duration.ofSeconds(n);
                        case "--parallel" -> a.parallel = n;
                        default -> a.watch = n;
                    }
                }
                case "--sudo" -> {
                    String v = value(args, ++i, opt, "auto, never or always");
                    try {
                        a.sudo = SshProbeRunner.SudoMode.valueOf(v.toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        throw new UsageException("--sudo: '" + v + "' is not auto, never or always");
                    }
                }
                case "--ssh-config" -> {
                    a.sshConfig = Path.of(value(args, ++i, opt, "a file"));
                    if (!Files.isReadable(a.sshConfig)) {
                        throw new UsageException("--ssh-config: cannot read " + a.sshConfig);
                    }
                }
                case "--inventory" -> a.inventory = Path.of(value(args, ++i, opt, "a file"));
                case "--cluster" -> a.cluster = value(args, ++i, opt, "a cluster name");
                case "--scheduler" -> a.scheduler = value(args, ++i, opt, "a URL like http://scheduler:8787");
                case "--save" -> a.saveName = value(args, ++i, opt, "a cluster name");
                case "--mode" -> {
                    a.mode = value(args, ++i, opt, "env or literal");
                    if (!a.mode.equals("env") && !a.mode.equals("literal")) {
                        throw new UsageException("--mode must be env or literal");
                    }
                }
                case "--apply" -> a.apply = true;
                case "--restart" -> a.restart = true;
                case "--rollback" -> a.rollback = true;
                case "--to" -> a.rollbackTo = value(args, ++i, opt, "a backup path on the VM (NAME.headroom-<UTC>.bak)");
                case "--backups" -> a.backups = true;
                case "--project" -> a.project = value(args, ++i, opt, "a compose project name");
                default -> {
                    if (opt.startsWith("-")) {
                        throw new UsageException("unknown option '" + opt + "'");
                    }
                    a.positional.add(opt);
                }
            }
        }
        return a;
    }

    private static String value(String[] args, int i, String opt, String what) throws UsageException {
        if (i >= args.length) {
            throw new UsageException(opt + " needs " + what);
        }
        return args[i];
    }

    private Inventory inventory(ScanArgs a) throws UsageException {
        try {
            return Inventory.load(a.inventory != null ? a.inventory : ConfigPaths.inventoryFile());
        } catch (Inventory.InventoryException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** Targets with their per-target options, the reserve and the scheduler URL, from arguments and the inventory. */
    private record Resolved(List<String> targets, Map<String, TransportRunners.TargetOptions> perTarget, Long reserve, String scheduler) {
    }

    private Resolved resolve(ScanArgs a) throws UsageException {
        List<String> targets = new ArrayList<>(a.positional);
        Map<String, TransportRunners.TargetOptions> perTarget = new HashMap<>();
        Long reserve = a.reserve;
        String scheduler = a.scheduler;
        if (a.cluster != null) {
            Cluster c;
            try {
                c = inventory(a).get(a.cluster);
            } catch (Inventory.InventoryException e) {
                throw new UsageException(e.getMessage());
            }
            SshProbeRunner.SudoMode sudo = c.sudo() == null ? null : SshProbeRunner.SudoMode.valueOf(c.sudo().toUpperCase(Locale.ROOT));
            for (String t : c.targets()) {
                targets.add(t);
                perTarget.put(t, new TransportRunners.TargetOptions(c.jump(), sudo));
            }
            if (reserve == null && c.reserve() != null) {
                DaskByteSize.Parsed p = DaskByteSize.parse(c.reserve());
                if (!p.ok() || p.bytes() == null) {
                    throw new UsageException("cluster " + c.name() + ": reserve '" + c.reserve() + "' is not a size");
                }
                reserve = p.bytes();
            }
            if (scheduler == null) {
                scheduler = c.scheduler();
            }
        }
        if (targets.isEmpty()) {
            targets.add(ScanEngine.LOCAL);
        }
        for (String t : targets) {
            if (!t.equals(ScanEngine.LOCAL)) {
                try {
                    SshTarget.parse(t);
                } catch (IllegalArgumentException e) {
                    throw new UsageException(e.getMessage());
                }
            }
        }
        return new Resolved(targets, perTarget, reserve, scheduler);
    }

    private int scan(ScanArgs a) throws UsageException {
        Resolved r = resolve(a);
        List<String> targets = r.targets();
        Map<String, TransportRunners.TargetOptions> perTarget = r.perTarget();
        Long reserve = r.reserve();
        String scheduler = r.scheduler();
        ScanOptions options = new ScanOptions(reserve, a.timeout, a.parallel);
        Prompter prompter = ConsolePrompter.system();
        if (a.acceptNew) {
            prompter = Prompter.acceptNew(prompter);
        }
        try (TransportRunners runners = new TransportRunners(prompter,
                new TransportRunners.Options(a.sshConfig, a.connectTimeout, a.sudo), perTarget)) {
            ScanEngine scanEngine = engine != null ? engine : new ScanEngine(runners, HeadroomVersion.get());
            while (true) {
                int code = scanOnce(scanEngine, targets, options, a.json, a.redact, scheduler, a.snapshot);
                if (a.watch == null) {
                    return code;
                }
                Thread.sleep(a.watch * 1000L);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("headroom: scan interrupted");
            return ExitCode.UNREACHABLE;
        }
    }

    private int scanOnce(ScanEngine scanEngine, List<String> targets, ScanOptions options, boolean json, boolean redact,
                         String scheduler, Path snapshot)
            throws InterruptedException {
        ScanReport report = scanEngine.scan(targets, options, new ScanListener() {
            @Override
            public void finished(HostReport r) {
                if (!r.scanned()) {
                    r.errors().forEach(e -> err.println("headroom: " + (redact ? Redactor.redactText(e, targets) : e)));
                } else if (!json && targets.size() > 1) {
                    err.println("scanned " + (redact ? Redactor.redactText(r.target(), targets) : r.target()) + " in " + r.scanMillis() + " ms");
                }
            }
        });
        if (scheduler != null) {
            try {
                SchedulerDiscovery.Result truth = SchedulerDiscovery.discover(scheduler, Duration.ofSeconds(10));
                List<HostReport> hosts = report.hosts().stream().map(h -> GroundTruth.attach(h, truth)).toList();
                report = new ScanReport(report.headroomVersion(), report.startedEpochMillis(), hosts);
            } catch (IOException e) {
                err.println("headroom: scheduler " + scheduler + ": " + e.getMessage() + " (predictions not compared)");
            }
        }
        if (redact) {
            report = Redactor.redact(report);
        }
        out.print(json ? ReportJson.write(report) + "\n" : TableRenderer.render(report));
        out.flush();
        if (snapshot != null) {
            try {
                Snapshots.write(report, snapshot);
                err.println("headroom: snapshot saved to " + snapshot + (redact ? " (redacted)" : ""));
            } catch (IOException e) {
                err.println("headroom: cannot save the snapshot " + snapshot + ": " + e.getMessage());
                return ExitCode.USAGE;
            }
        }
        return ExitCode.of(report);
    }

    /**
     * Without --apply: prints the corrected compose files as unified diffs (nothing is written).
     * With --apply: pushes them (and restarts and verifies with --restart). With --rollback: puts the
     * newest Headroom backups back.
     */
    private int fix(ScanArgs a) throws UsageException {
        if (a.apply && a.rollback) {
            throw new UsageException("--apply and --rollback cannot be combined");
        }
        if (a.restart && !a.apply && !a.rollback) {
            throw new UsageException("--restart needs --apply or --rollback");
        }
        if (a.rollbackTo != null && !a.rollback) {
            throw new UsageException("--to needs --rollback");
        }
        if (a.backups && (a.apply || a.rollback)) {
            throw new UsageException("--backups only lists; it cannot be combined with --apply or --rollback");
        }
        Resolved resolved = resolve(a);
        boolean changes = a.apply || a.rollback;
        Settings settings = null;
        if (changes) {
            try {
                settings = settingsLoader.load();
            } catch (IOException e) {
                err.println("headroom: cannot read the settings: " + e.getMessage() + " (treated as read-only)");
                return ExitCode.USAGE;
            }
            if (settings.readOnly()) {
                err.println("headroom: " + new FixService.ReadOnlyException(settings).getMessage());
                return ExitCode.USAGE;
            }
        }
        ScanOptions options = new ScanOptions(resolved.reserve(), a.timeout, a.parallel);
        Prompter prompter = a.acceptNew ? Prompter.acceptNew(ConsolePrompter.system()) : ConsolePrompter.system();
        try (TransportRunners runners = new TransportRunners(prompter,
                new TransportRunners.Options(a.sshConfig, a.connectTimeout, a.sudo), resolved.perTarget())) {
            ScanEngine scanEngine = engine != null ? engine : new ScanEngine(runners, HeadroomVersion.get());
            ScanReport report = scanEngine.scan(resolved.targets(), options, ScanListener.NONE);
            FixService service = changes ? new FixService(new TransportVmAccess(runners), scanEngine, options,
                    new AuditLog(ConfigPaths.auditLogFile()), settings) : null;
            if (a.backups) {
                return backups(report, new FixService(new TransportVmAccess(runners), scanEngine, options,
                        new AuditLog(ConfigPaths.auditLogFile()), new Settings(false, "listing only")), a.project);
            }
            if (a.rollback && a.rollbackTo != null) {
                return rollbackTo(report, service, a.rollbackTo, a.restart);
            }
            if (a.rollback) {
                return rollback(report, service, a.restart, a.project);
            }
            int plans = 0;
            int blind = 0;
            int worst = ExitCode.of(report);
            boolean anyApplied = false;
            for (HostReport h : report.hosts()) {
                if (!h.scanned()) {
                    h.errors().forEach(e -> err.println("headroom: " + e));
                    continue;
                }
                if (!h.complete()) {
                    blind++;
                    h.findings().stream().filter(f -> f.code().blindSpot())
                            .forEach(f -> err.println("headroom: " + h.target() + ": cannot plan a fix: " + f.message()));
                }
                for (FixPlan p : FixPlanner.plan(h, a.mode.equals("env"))) {
                    if (a.project != null && !a.project.equals(p.project())) {
                        continue;
                    }
                    plans++;
                    out.println("# " + h.target() + ": compose project " + p.project() + " in " + p.workingDir()
                            + ", services " + p.services() + ": mem_limit " + p.bytes() + " bytes ("
                            + Bytes.human(p.bytes()) + ")");
                    if (p.refusal() != null) {
                        out.println("# cannot edit safely: " + p.refusal());
                        continue;
                    }
                    p.notes().forEach(n -> out.println("# " + n));
                    out.print(p.diff());
                    if (a.apply) {
                        FixService.Outcome o = service.apply(p, a.restart, resolved.scheduler(), line -> err.println("headroom: " + line));
                        worst = Math.max(worst, report(o));
                        anyApplied |= o.error() == null;
                    }
                }
            }
            if (plans == 0 && blind == 0) {
                out.println("# nothing to fix: no Dask compose service has a memory finding with a recommended limit");
            } else if (plans == 0) {
                out.println("# nothing planned: " + blind + " target(s) could not be seen whole (see above), so whether"
                        + " anything needs fixing is not known");
            }
            if (anyApplied) {
                out.println("# audit log: " + ConfigPaths.auditLogFile());
            }
            return worst;
        } catch (FixService.ReadOnlyException e) {
            err.println("headroom: " + e.getMessage());
            return ExitCode.USAGE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.UNREACHABLE;
        }
    }

    /** Prints an apply outcome; returns its exit code (0 verified, 1 findings remain, 3 not changed). */
    private int report(FixService.Outcome o) {
        for (Pusher.Step s : o.steps()) {
            out.println("# pushed " + s.path() + " (sha256 " + s.shaBefore().substring(0, 12) + "… → " + s.shaAfter().substring(0, 12)
                    + "…)" + (s.backup() == null ? "" : ", backup " + s.backup()));
        }
        if (o.error() != null) {
            out.println("# NOT applied: " + o.error());
            return ExitCode.UNREACHABLE;
        }
        if (o.restart() == null) {
            out.println("# the new limit takes effect when the services are recreated: headroom fix --apply --restart,"
                    + " or on the VM: docker-compose up -d --no-deps " + String.join(" ", o.plan().services()));
            return ExitCode.FINDINGS;
        }
        o.restart().notes().forEach(n -> out.println("# note: " + n));
        if (!o.restart().ok()) {
            out.println("# restart FAILED (exit " + o.restart().status() + "): " + o.restart().err().strip());
            return ExitCode.UNREACHABLE;
        }
        out.println("# restarted " + String.join(", ", o.plan().services()));
        FixService.Verification v = o.verification();
        out.println("# verification " + (v.ok() ? "OK" : "FAILED") + ":");
        v.lines().forEach(l -> out.println("#   " + l));
        return v.ok() && v.after() != null ? ExitCode.of(new ScanReport(HeadroomVersion.get(), 0, List.of(v.after()))) : ExitCode.FINDINGS;
    }

    private int rollback(ScanReport report, FixService service, boolean restart, String project) throws FixService.ReadOnlyException {
        int worst = ExitCode.HEALTHY;
        int done = 0;
        for (HostReport h : report.hosts()) {
            if (!h.scanned()) {
                h.errors().forEach(e -> err.println("headroom: " + e));
                worst = ExitCode.UNREACHABLE;
                continue;
            }
            for (FixService.RollbackOutcome o : service.rollback(h, project, restart, line -> err.println("headroom: " + line))) {
                for (Pusher.Step s : o.steps()) {
                    done++;
                    out.println("# " + h.target() + ": restored " + s.path() + " from " + s.backup());
                }
                if (o.error() != null) {
                    out.println("# " + h.target() + ": project " + o.project().project() + ": " + o.error());
                    if (!o.steps().isEmpty() || !o.error().startsWith("no Headroom backup")) {
                        worst = ExitCode.UNREACHABLE;
                    }
                }
                if (o.restart() != null) {
                    out.println("# " + h.target() + ": restart of " + String.join(", ", o.project().services())
                            + (o.restart().ok() ? " done" : " FAILED: " + o.restart().err().strip()));
                    if (!o.restart().ok()) {
                        worst = ExitCode.UNREACHABLE;
                    }
                }
            }
        }
        if (done == 0) {
            out.println("# nothing rolled back: no Headroom backup found beside the Dask compose files");
        }
        return worst;
    }

    /** {@code fix --backups}: every Headroom backup of the Dask compose files and .env, with who pushed (FixService.backups). */
    private int backups(ScanReport report, FixService service, String project) {
        int worst = ExitCode.HEALTHY;
        for (HostReport h : report.hosts()) {
            if (!h.scanned()) {
                h.errors().forEach(e -> err.println("headroom: " + e));
                worst = ExitCode.UNREACHABLE;
                continue;
            }
            try {
                List<FixService.BackupInfo> all = service.backups(h, project);
                if (all.isEmpty()) {
                    out.println("# " + h.target() + ": no Headroom backup beside the Dask compose files");
                }
                String file = null;
                for (FixService.BackupInfo b : all) {
                    if (!b.file().equals(file)) {
                        file = b.file();
                        out.println("# " + h.target() + ": " + file);
                    }
                    out.println(b.backup() + "  " + b.time() + "  sha256 " + b.sha256().substring(0, 12) + "…  "
                            + (b.pushedBy() == null ? "(no push in this machine's audit log)" : "pushed by " + b.pushedBy() + " at " + b.pushedAt()));
                }
            } catch (IOException e) {
                err.println("headroom: " + h.target() + ": " + e.getMessage());
                worst = ExitCode.UNREACHABLE;
            }
        }
        return worst;
    }

    /** {@code fix --rollback --to BACKUP}: one chosen backup back (FixService.rollbackTo). */
    private int rollbackTo(ScanReport report, FixService service, String backup, boolean restart) throws FixService.ReadOnlyException {
        if (report.hosts().size() != 1) {
            err.println("headroom: --to names a backup on one VM: give exactly one target");
            return ExitCode.USAGE;
        }
        HostReport h = report.hosts().get(0);
        if (!h.scanned()) {
            h.errors().forEach(e -> err.println("headroom: " + e));
            return ExitCode.UNREACHABLE;
        }
        FixService.RollbackOutcome o = service.rollbackTo(h, backup, restart, line -> err.println("headroom: " + line));
        o.steps().forEach(s -> out.println("# " + h.target() + ": restored " + s.path() + " from " + s.backup()));
        if (o.error() != null) {
            out.println("# " + h.target() + ": NOT rolled back: " + o.error());
            return ExitCode.UNREACHABLE;
        }
        if (o.restart() != null) {
            out.println("# " + h.target() + ": restart of " + String.join(", ", o.project().services())
                    + (o.restart().ok() ? " done" : " FAILED: " + o.restart().err().strip()));
            return o.restart().ok() ? ExitCode.HEALTHY : ExitCode.UNREACHABLE;
        }
        return ExitCode.HEALTHY;
    }

    /** Shows or changes the global settings (today: read-only mode). */
    private int settings(ScanArgs a) throws UsageException {
        List<String> p = a.positional;
        try {
            if (p.isEmpty()) {
                Settings s = Settings.load();
                out.println("read-only: " + (s.readOnly() ? "on" : "off") + " (" + s.source() + ")");
                out.println("settings file: " + ConfigPaths.settingsFile());
                out.println("audit log: " + ConfigPaths.auditLogFile());
                return ExitCode.HEALTHY;
            }
            if (p.size() == 2 && p.get(0).equals("read-only") && (p.get(1).equals("on") || p.get(1).equals("off"))) {
                Settings.saveReadOnly(ConfigPaths.settingsFile(), p.get(1).equals("on"));
                Settings s = Settings.load();
                out.println("read-only: " + (s.readOnly() ? "on" : "off") + " (" + s.source() + ")");
                return ExitCode.HEALTHY;
            }
        } catch (IOException e) {
            err.println("headroom: " + e.getMessage());
            return ExitCode.USAGE;
        }
        throw new UsageException("settings takes nothing, or 'read-only on' / 'read-only off'");
    }

    private int discover(ScanArgs a) throws UsageException {
        if (a.positional.size() != 1) {
            throw new UsageException("discover needs exactly one scheduler dashboard URL, e.g. http://10.0.0.5:8787");
        }
        String url = a.positional.get(0);
        SchedulerDiscovery.Result r;
        try {
            r = SchedulerDiscovery.discover(url, a.connectTimeout);
        } catch (IOException e) {
            err.println("headroom: " + url + ": " + e.getMessage());
            return ExitCode.UNREACHABLE;
        }
        if (a.json) {
            var node = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
            node.put("url", url);
            node.put("schedulerAddress", r.schedulerAddress());
            var ws = node.putArray("workers");
            for (SchedulerDiscovery.Worker w : r.workers()) {
                ws.addObject().put("address", w.address()).put("host", w.host()).put("name", w.name())
                        .put("nthreads", w.nthreads()).put("memoryLimitBytes", w.memoryLimitBytes());
            }
            var hs = node.putArray("hosts");
            r.hosts().forEach(hs::add);
            out.println(node.toPrettyString());
        } else {
            out.println("Scheduler " + r.schedulerAddress() + " (" + url + "): " + r.workers().size() + " worker(s) on "
                    + r.hosts().size() + " host(s)");
            for (SchedulerDiscovery.Worker w : r.workers()) {
                out.printf(Locale.ROOT, "  %-32s host %-16s name %-20s threads %-3d memory_limit %s%n", w.address(), w.host(),
                        w.name(), w.nthreads(), w.memoryLimitBytes() == null ? "none" : w.memoryLimitBytes() + " bytes");
            }
        }
        if (a.saveName != null) {
            Inventory inv = inventory(a);
            try {
                inv.add(new Cluster(a.saveName, r.hosts(), null, null, null, null, url));
            } catch (Inventory.InventoryException e) {
                err.println("headroom: " + e.getMessage());
                return ExitCode.USAGE;
            }
            err.println("saved cluster '" + a.saveName + "' with " + r.hosts().size() + " host(s) to " + inv.file());
        }
        return ExitCode.HEALTHY;
    }

    private int clusters(ScanArgs a) throws UsageException {
        Inventory inv = inventory(a);
        if (inv.clusters().isEmpty()) {
            out.println("No clusters in " + inv.file() + " (add one with: headroom discover URL --save NAME)");
            return ExitCode.HEALTHY;
        }
        out.println("Clusters in " + inv.file() + ":");
        inv.clusters().values().stream().sorted(java.util.Comparator.comparing(Cluster::name)).forEach(c ->
                out.println("  " + c.name() + ": " + String.join(", ", c.targets())
                        + (c.jump() == null ? "" : " (via " + c.jump() + ")")
                        + (c.scheduler() == null ? "" : " scheduler " + c.scheduler())));
        return ExitCode.HEALTHY;
    }
}
