package io.headroom.engine;

import io.headroom.analysis.Analyzer;
import io.headroom.model.CgroupMode;
import io.headroom.model.HostFacts;
import io.headroom.model.HostReport;
import io.headroom.model.MemInfo;
import io.headroom.model.ScanReport;
import io.headroom.model.SectionProblem;
import io.headroom.probe.HostFactsAssembler;
import io.headroom.probe.LocalProbeRunner;
import io.headroom.probe.OshiLocalFacts;
import io.headroom.probe.ProbeException;
import io.headroom.probe.ProbeRunner;
import io.headroom.probe.ProbeScript;
import io.headroom.probe.parse.ProbeStream;
import io.headroom.probe.parse.ProbeStreamParser;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Scans targets: one probe run per target, in parallel, each analyzed independently. */
public final class ScanEngine {
    /** The name of the machine Headroom runs on. */
    public static final String LOCAL = "local";

    private final ProbeRunners runners;
    private final String version;
    private final LiveRefresh liveRefresh;

    public ScanEngine(ProbeRunners runners, String version) {
        this.runners = runners;
        this.version = version;
        this.liveRefresh = new LiveRefresh(runners, this::scanOne);
    }

    /** An engine that can scan {@code local} only (SSH targets arrive with the SSH transport). */
    public static ScanEngine localOnly(String version) {
        return new ScanEngine(target -> {
            if (LOCAL.equals(target)) {
                return new LocalProbeRunner();
            }
            throw new ProbeException("SSH targets are not supported yet; only 'local' can be scanned");
        }, version);
    }

    /** How many idle connections stay open between scans ({@link ProbeRunners#ALL} by default). */
    public void keepWarm(int connections) {
        runners.keepWarm(connections);
    }

    /** Scans all targets and waits for them. Interrupting the caller cancels the scan. */
    public ScanReport scan(List<String> targets, ScanOptions options, ScanListener listener) throws InterruptedException {
        return run(targets, options, listener, t -> withinDeadline(t, options, () -> scanOne(t, options)));
    }

    /**
     * Live mode's refresh of all targets: each target the engine scanned before gets the light refresh
     * ({@link LiveRefresh}: MemAvailable and its containers' memory files, one small exec), the others and
     * those whose containers changed get the full probe. Same report, listener and deadline as {@link #scan}.
     */
    public ScanReport refresh(List<String> targets, ScanOptions options, ScanListener listener) throws InterruptedException {
        return run(targets, options, listener, t -> withinDeadline(t, options, () -> liveRefresh.refreshOne(t, options)));
    }

    /** Light refreshes of a target since its last full scan, -1 before any (tests, benchmarks). */
    public int refreshesSinceFullScan(String target) {
        return liveRefresh.refreshesSinceFullScan(target);
    }

    private interface TargetScan {
        HostReport apply(String target) throws InterruptedException;
    }

    private ScanReport run(List<String> targets, ScanOptions options, ScanListener listener, TargetScan perTarget)
            throws InterruptedException {
        long started = System.currentTimeMillis();
        Semaphore slots = new Semaphore(Math.max(1, options.parallelism()));
        List<Future<HostReport>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String t : targets) {
                futures.add(pool.submit(() -> {
                    slots.acquire();
                    try {
                        listener.started(t);
                        HostReport r = perTarget.apply(t);
                        listener.finished(r);
                        return r;
                    } finally {
                        slots.release();
                    }
                }));
            }
            List<HostReport> reports = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                try {
                    reports.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    HostReport failed = HostReport.failed(targets.get(i), targets.get(i) + ": internal error: " + e.getCause(), 0, 0);
                    listener.finished(failed);
                    reports.add(failed);
                }
            }
            return new ScanReport(version, started, reports);
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            throw e;
        }
    }

    /**
     * {@link #scanOne} under the engine's own deadline: whatever a target does (a black hole, a slow
     * {@code ssh -G}, a channel that never closes, a starved machine), it gives its slot back within the
     * timeout plus 5% (at least 250 ms), reported as not answering in time. The late work is interrupted.
     */
    HostReport scanWithinDeadline(String target, ScanOptions options) throws InterruptedException {
        return withinDeadline(target, options, () -> scanOne(target, options));
    }

    private HostReport withinDeadline(String target, ScanOptions options, java.util.concurrent.Callable<HostReport> work)
            throws InterruptedException {
        long t0 = System.nanoTime();
        long limit = options.timeout().toMillis() + Math.max(250, options.timeout().toMillis() / 20);
        FutureTask<HostReport> task = new FutureTask<>(work);
        Thread.ofVirtual().name("scan " + target).start(task);
        try {
            return task.get(limit, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            return HostReport.failed(target, target + ": no answer within " + options.timeout().toSeconds()
                    + " s (timed out)", 0, millisSince(t0));
        } catch (ExecutionException e) {
            return HostReport.failed(target, target + ": internal error: " + e.getCause(), 0, millisSince(t0));
        } catch (InterruptedException e) {
            task.cancel(true);
            throw e;
        }
    }

    /** Scans one target; never throws for target problems (they become the report's errors). */
    public HostReport scanOne(String target, ScanOptions options) throws InterruptedException {
        long t0 = System.nanoTime();
        Analyzer analyzer = new Analyzer(options.reserveBytes());
        if (LOCAL.equals(target) && !isLinux()) {
            return analyzer.analyze(nonLinuxLocalFacts(), millisSince(t0));
        }
        try {
            ProbeRunner runner = runners.forTarget(target);
            String nonce = ProbeScript.newNonce();
            ProbeRunner.ProbeOutput out = runner.run(nonce, options.timeout());
            ProbeStream stream = ProbeStreamParser.parse(out.stdout(), nonce);
            if (stream.sections().isEmpty()) {
                String why = out.stderrTail().isBlank() ? "exit status " + out.exitStatus() : out.stderrTail().strip();
                return HostReport.failed(target, target + ": probe failed: " + why, 0, millisSince(t0));
            }
            HostFacts facts = HostFactsAssembler.assemble(target, stream);
            if (LOCAL.equals(target)) {
                facts = crossCheck(facts);
            }
            liveRefresh.remember(target, facts);
            return analyzer.analyze(facts, millisSince(t0));
        } catch (ProbeException e) {
            // the transport's messages often name the target already: name it once
            String m = String.valueOf(e.getMessage());
            return HostReport.failed(target, m.startsWith(target + ": ") ? m : target + ": " + m, 0, millisSince(t0));
        }
    }

    /** On Linux, compare the probe's MemTotal with OSHI's; a mismatch is reported, never hidden. */
    private static HostFacts crossCheck(HostFacts facts) {
        if (facts.memInfo() == null) {
            return facts;
        }
        try {
            MemInfo oshi = OshiLocalFacts.memInfo();
            if (oshi.memTotalBytes() != facts.memInfo().memTotalBytes()) {
                List<SectionProblem> problems = new ArrayList<>(facts.problems());
                problems.add(new SectionProblem("cross-check", "-", SectionProblem.Kind.UNREADABLE,
                        "OSHI reports MemTotal " + oshi.memTotalBytes() + " bytes but the probe read "
                                + facts.memInfo().memTotalBytes()));
                return withProblems(facts, problems);
            }
        } catch (RuntimeException | LinkageError e) {
            // OSHI unavailable on this platform: the probe's numbers stand alone
        }
        return facts;
    }

    private static HostFacts withProblems(HostFacts f, List<SectionProblem> problems) {
        return new HostFacts(f.target(), f.probeVersion(), f.epochSeconds(), f.hostname(), f.kernelRelease(),
                f.cpuCount(), f.cgroupMode(), f.memInfo(), f.containers(), f.composeFiles(), f.dotEnvValues(),
                f.environmentValue(), f.oomEvents(), problems, f.dockerAvailable());
    }

    private static HostFacts nonLinuxLocalFacts() {
        String os = OshiLocalFacts.osName();
        return new HostFacts(LOCAL, 0, System.currentTimeMillis() / 1000, "localhost", os,
                OshiLocalFacts.cpuCount(), CgroupMode.UNKNOWN, OshiLocalFacts.memInfo(), List.of(), Map.of(), Map.of(),
                null, List.of(),
                List.of(new SectionProblem("docker-ps", "-", SectionProblem.Kind.UNAVAILABLE,
                        "containers and cgroups are read on Linux only; this machine runs " + os
                                + " (memory figures from OSHI)")),
                false);
    }

    private static boolean isLinux() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
