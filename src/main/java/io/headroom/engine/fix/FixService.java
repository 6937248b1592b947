package io.headroom.engine.fix;

import io.headroom.engine.ScanEngine;
import io.headroom.engine.ScanOptions;
import io.headroom.engine.inventory.GroundTruth;
import io.headroom.engine.inventory.SchedulerDiscovery;
import io.headroom.engine.inventory.Settings;
import io.headroom.model.Bytes;
import io.headroom.model.ContainerReport;
import io.headroom.model.DaskWorker;
import io.headroom.model.HostReport;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Applies and rolls back fix plans on VMs, the one engine behind {@code headroom fix --apply} and
 * the desktop fix wizard: push ({@link Pusher}) → optional restart of the affected services →
 * re-scan until the restarted workers are up → verification that the container's cgroup limit and
 * Dask's budget are the recommended ones (and the scheduler's value, when its URL is known).
 * Refuses everything when read-only mode is on.
 */
public final class FixService {
    /** How long the verification waits for restarted workers to come up. */
    public static final Duration VERIFY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration VERIFY_INTERVAL = Duration.ofSeconds(3);

    /** Opens a VM's files and commands; says whether docker may be retried with {@code sudo -n} there. */
    public interface VmAccess {
        VmFiles open(String target) throws IOException;

        boolean sudoAllowed(String target);
    }

    /** Thrown when read-only mode forbids a change. */
    public static final class ReadOnlyException extends IOException {
        private static final long serialVersionUID = 1L;

        public ReadOnlyException(Settings settings) {
            super("read-only mode is on (" + settings.source() + "): nothing was written and nothing restarted."
                    + " Turn it off with 'headroom settings read-only off' where that is allowed.");
        }
    }

    /**
     * What the re-scan showed for the plan's containers.
     *
     * @param ok    true when every affected container has the recommended cgroup limit and Dask sees it
     * @param lines one line per container and worker, in plain words
     * @param after the re-scan (with the scheduler's values when known), or null when none was made
     */
    public record Verification(boolean ok, List<String> lines, HostReport after) {
        public Verification {
            lines = List.copyOf(lines);
        }
    }

    /**
     * The result of applying one plan.
     *
     * @param plan         what was applied
     * @param steps        each file pushed
     * @param restart      the restart, or null when not asked
     * @param verification the re-scan's verdict, or null without a restart
     * @param error        why the push stopped, or null
     */
    public record Outcome(FixPlan plan, List<Pusher.Step> steps, Pusher.Restart restart, Verification verification, String error) {
        public Outcome {
            steps = List.copyOf(steps);
        }

        public boolean ok() {
            return error == null && (restart == null || restart.ok()) && (verification == null || verification.ok());
        }
    }

    /** The result of a rollback on one compose project. */
    public record RollbackOutcome(FixPlan project, List<Pusher.Step> steps, Pusher.Restart restart, String error) {
        public RollbackOutcome {
            steps = List.copyOf(steps);
        }

        public boolean ok() {
            return error == null && (restart == null || restart.ok());
        }
    }

    private final VmAccess access;
    private final ScanEngine engine;
    private final ScanOptions options;
    private final AuditLog audit;
    private final Settings settings;

    public FixService(VmAccess access, ScanEngine engine, ScanOptions options, AuditLog audit, Settings settings) {
        this.access = access;
        this.engine = engine;
        this.options = options;
        this.audit = audit;
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    public AuditLog audit() {
        return audit;
    }

    /**
     * Pushes the plan; with {@code restart}, restarts its services, re-scans and verifies.
     *
     * @param scheduler the scheduler's dashboard URL to compare Dask's reported budget with, or null
     * @param progress  receives one line per stage (any thread)
     */
    public Outcome apply(FixPlan plan, boolean restart, String scheduler, Consumer<String> progress)
            throws ReadOnlyException, InterruptedException {
        if (settings.readOnly()) {
            throw new ReadOnlyException(settings);
        }
        if (plan.refusal() != null) {
            return new Outcome(plan, List.of(), null, null, "cannot edit safely: " + plan.refusal());
        }
        List<Pusher.Step> steps = new ArrayList<>();
        try (VmFiles vm = access.open(plan.target())) {
            Pusher pusher = new Pusher(vm, audit, plan.target(), access.sudoAllowed(plan.target()));
            progress.accept(plan.target() + ": pushing " + describeFiles(plan));
            steps.addAll(pusher.apply(plan));
            for (Pusher.Step s : steps) {
                progress.accept(plan.target() + ": " + s.path() + " replaced" + (s.backup() == null ? "" : ", backup " + s.backup()));
            }
            if (!restart) {
                return new Outcome(plan, steps, null, null, null);
            }
            progress.accept(plan.target() + ": restarting " + String.join(", ", plan.services())
                    + " (the workers restart; tasks running on them are lost)");
            Pusher.Restart r = pusher.restart(plan);
            if (!r.ok()) {
                return new Outcome(plan, steps, r, null, null);
            }
            progress.accept(plan.target() + ": re-scanning until the restarted workers are up");
            Verification v = verifyAfterRestart(plan, scheduler);
            return new Outcome(plan, steps, r, v, null);
        } catch (IOException e) {
            return new Outcome(plan, steps, null, null, e.getMessage());
        }
    }

    /**
     * Puts back the newest Headroom backup of every compose file and {@code .env} of the Dask compose
     * projects in {@code host} (or only {@code onlyProject} when not null), optionally restarting
     * their Dask services.
     */
    public List<RollbackOutcome> rollback(HostReport host, String onlyProject, boolean restart, Consumer<String> progress)
            throws ReadOnlyException {
        if (settings.readOnly()) {
            throw new ReadOnlyException(settings);
        }
        List<RollbackOutcome> outcomes = new ArrayList<>();
        for (FixPlan project : projects(host)) {
            if (onlyProject != null && !onlyProject.equals(project.project())) {
                continue;
            }
            List<Pusher.Step> steps = List.of();
            try (VmFiles vm = access.open(host.target())) {
                Pusher pusher = new Pusher(vm, audit, host.target(), access.sudoAllowed(host.target()));
                List<String> paths = new ArrayList<>(project.files());
                paths.add(Pusher.envPath(project));
                progress.accept(host.target() + ": rolling back project " + project.project());
                steps = pusher.rollback(paths);
                Pusher.Restart r = null;
                if (restart && !steps.isEmpty()) {
                    progress.accept(host.target() + ": restarting " + String.join(", ", project.services()));
                    r = pusher.restart(project);
                }
                outcomes.add(new RollbackOutcome(project, steps, r, steps.isEmpty() ? "no Headroom backup beside "
                        + String.join(", ", paths) : null));
            } catch (IOException e) {
                outcomes.add(new RollbackOutcome(project, steps, null, e.getMessage()));
            }
        }
        return outcomes;
    }

    /**
     * One Headroom backup of a file on a VM, with what this machine's audit log says about the push
     * that kept it.
     *
     * @param file     the compose file or .env it belongs to
     * @param backup   the backup's path on the VM
     * @param time     the UTC time in its name (when the push kept it)
     * @param sha256   SHA-256 of the backup's content (the file as it was before that push)
     * @param pushedBy the operator user name of that push, or null when this machine's audit log has no such push
     * @param pushedAt the audit log's time of that push, or null
     */
    public record BackupInfo(String file, String backup, String time, String sha256, String pushedBy, String pushedAt) {
        /**
         * Who pushed the version this backup replaced, in words: "pushed by USER", with the push's time to the second
         * only when it is more than a minute from the backup's own time (the same push writes both), or that this
         * machine's audit log has no push of it.
         */
        public String pushedText() {
            if (pushedBy == null) {
                return "no push in this machine's audit log";
            }
            try {
                java.time.Instant at = java.time.Instant.parse(pushedAt).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
                boolean same = time != null && java.time.Duration.between(java.time.Instant.parse(time), at).abs().getSeconds() <= 60;
                return "pushed by " + pushedBy + (same ? "" : " at " + at);
            } catch (RuntimeException e) {
                return "pushed by " + pushedBy + (pushedAt == null ? "" : " at " + pushedAt);
            }
        }
    }

    /**
     * The Headroom backups of every compose file and {@code .env} of the Dask compose projects in
     * {@code host} (or only {@code onlyProject}), newest first per file. Reads only: allowed in
     * read-only mode.
     */
    public List<BackupInfo> backups(HostReport host, String onlyProject) throws IOException {
        List<BackupInfo> out = new ArrayList<>();
        List<AuditLog.Entry> log = audit.entries();
        try (VmFiles vm = access.open(host.target())) {
            Pusher pusher = new Pusher(vm, audit, host.target(), false);
            for (FixPlan project : projects(host)) {
                if (onlyProject != null && !onlyProject.equals(project.project())) {
                    continue;
                }
                List<String> paths = new ArrayList<>(project.files());
                paths.add(Pusher.envPath(project));
                for (String path : paths) {
                    for (String b : pusher.backups(path)) {
                        AuditLog.Entry push = null;
                        for (AuditLog.Entry e : log) {
                            if ("apply".equals(e.action()) && "ok".equals(e.result()) && host.target().equals(e.target())
                                    && path.equals(e.file()) && b.equals(e.backup())) {
                                push = e;
                            }
                        }
                        out.add(new BackupInfo(path, b, Pusher.stampOf(b), io.headroom.model.Sha256.hex(vm.read(b)),
                                push == null ? null : push.user(), push == null ? null : push.time()));
                    }
                }
            }
        }
        return out;
    }

    /**
     * Puts one chosen backup back ({@code headroom fix --rollback --to BACKUP}); refuses unless its
     * file is what Headroom last wrote there ({@link Pusher#rollbackTo}). With {@code restart}, restarts
     * the Dask services of the project in {@code host} that the file belongs to.
     */
    public RollbackOutcome rollbackTo(HostReport host, String backup, boolean restart, Consumer<String> progress)
            throws ReadOnlyException {
        if (settings.readOnly()) {
            throw new ReadOnlyException(settings);
        }
        String path = Pusher.originalOf(backup);
        FixPlan project = projects(host).stream()
                .filter(p -> p.files().contains(path) || Pusher.envPath(p).equals(path)).findFirst().orElse(null);
        FixPlan shown = project != null ? project : new FixPlan(host.target(), "(none)", "", List.of(), List.of(), 0, false,
                List.of(), List.of(), List.of(), null);
        if (restart && project == null) {
            return new RollbackOutcome(shown, List.of(), null, "no running Dask compose project on " + host.target()
                    + " uses " + path + ": nothing to restart (run without --restart)");
        }
        List<Pusher.Step> steps = new ArrayList<>();
        try (VmFiles vm = access.open(host.target())) {
            Pusher pusher = new Pusher(vm, audit, host.target(), access.sudoAllowed(host.target()));
            progress.accept(host.target() + ": restoring " + backup);
            steps.add(pusher.rollbackTo(backup));
            Pusher.Restart r = null;
            if (restart) {
                progress.accept(host.target() + ": restarting " + String.join(", ", project.services()));
                r = pusher.restart(project);
            }
            return new RollbackOutcome(shown, steps, r, null);
        } catch (IOException e) {
            return new RollbackOutcome(shown, steps, null, e.getMessage());
        }
    }

    /** The Dask compose projects of a scan as plans without edits (for rollback and restart). */
    static List<FixPlan> projects(HostReport host) {
        List<FixPlan> out = new ArrayList<>();
        for (Map.Entry<String, List<ContainerReport>> e : FixPlanner.byProject(host, c -> c.facts().composeWorkingDir() != null).entrySet()) {
            ContainerReport first = e.getValue().get(0);
            String dir = first.facts().composeWorkingDir();
            List<String> files = FixPlanner.composePaths(first);
            Set<String> services = new LinkedHashSet<>();
            e.getValue().forEach(c -> services.add(c.facts().composeService()));
            out.add(new FixPlan(host.target(), e.getKey(), dir, files, List.copyOf(services), 0, false, List.of(), List.of(),
                    List.of(), null));
        }
        return out;
    }

    private Verification verifyAfterRestart(FixPlan plan, String scheduler) throws InterruptedException {
        long deadline = System.nanoTime() + VERIFY_TIMEOUT.toNanos();
        Verification last = null;
        while (true) {
            HostReport after = engine.scanOne(plan.target(), options);
            if (after.scanned() && scheduler != null) {
                try {
                    after = GroundTruth.attach(after, SchedulerDiscovery.discover(scheduler, Duration.ofSeconds(10)));
                } catch (IOException e) {
                    // the scheduler may still be registering the restarted worker; try again
                }
            }
            last = verify(plan, after, scheduler != null);
            if (last.ok() || System.nanoTime() > deadline) {
                return last;
            }
            Thread.sleep(VERIFY_INTERVAL.toMillis());
        }
    }

    /**
     * Checks a re-scan against the plan: every running container of the plan's services has the
     * recommended cgroup limit, each Dask worker in it sees that limit as its system limit, and,
     * when the scheduler was asked, Dask's reported budget equals the predicted one. Pure.
     */
    public static Verification verify(FixPlan plan, HostReport after, boolean schedulerAsked) {
        List<String> lines = new ArrayList<>();
        if (!after.scanned()) {
            lines.add("re-scan failed: " + String.join("; ", after.errors()));
            return new Verification(false, lines, after);
        }
        boolean ok = true;
        int seen = 0;
        for (ContainerReport c : after.daskContainers()) {
            if (!plan.project().equals(c.facts().composeProject()) || !plan.services().contains(c.facts().composeService())) {
                continue;
            }
            seen++;
            Long limit = c.cgroupLimitBytes();
            boolean limitOk = limit != null && limit == plan.bytes();
            ok &= limitOk;
            lines.add(c.facts().name() + ": cgroup limit " + (limit == null ? "none" : limit + " bytes (" + Bytes.human(limit) + ")")
                    + (limitOk ? " = the recommendation" : " ≠ the recommended " + plan.bytes() + " bytes"));
            if (c.workers().isEmpty()) {
                ok = false;
                lines.add(c.facts().name() + ": no Dask worker process found yet");
            }
            for (DaskWorker w : c.workers()) {
                boolean sees = w.systemLimitBytes() == plan.bytes();
                ok &= sees;
                String budget = w.memoryLimitBytes() == null ? "no budget" : "budget " + w.memoryLimitBytes() + " bytes ("
                        + Bytes.human(w.memoryLimitBytes()) + ")";
                lines.add("  worker pid " + w.pid() + ": Dask sees a system limit of " + w.systemLimitBytes() + " bytes"
                        + (sees ? "" : " (expected " + plan.bytes() + ")") + ", " + budget);
                if (schedulerAsked) {
                    Long reported = w.reportedLimitBytes();
                    boolean agrees = reported != null && reported.equals(w.memoryLimitBytes());
                    ok &= agrees;
                    lines.add("  scheduler reports memory_limit " + (reported == null ? "nothing for this worker (not registered yet?)"
                            : reported + " bytes" + (agrees ? " = the predicted budget" : " ≠ the predicted budget")));
                }
            }
        }
        if (seen == 0) {
            ok = false;
            lines.add("no running container of " + String.join(", ", plan.services()) + " in project " + plan.project() + " yet");
        }
        return new Verification(ok, lines, after);
    }

    private static String describeFiles(FixPlan plan) {
        List<String> names = new ArrayList<>();
        if (plan.envMode()) {
            names.add(Pusher.envPath(plan));
        }
        plan.edits().forEach(e -> names.add(e.path()));
        return String.join(", ", names);
    }
}
