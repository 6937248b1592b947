package io.headroom.engine;

import io.headroom.analysis.Analyzer;
import io.headroom.model.HostFacts;
import io.headroom.model.HostReport;
import io.headroom.probe.ProbeException;
import io.headroom.probe.ProbeRunner;
import io.headroom.probe.ProbeScript;
import io.headroom.probe.RefreshAssembler;
import io.headroom.probe.RefreshScript;
import io.headroom.probe.parse.ProbeStreamParser;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live mode's light refresh (issue 15, docs/decisions/0031). After a full scan of a target, a refresh
 * reads only what changes between two scans: MemAvailable and each known container's memory files, in
 * one exec of {@link RefreshScript} (~2 KiB, shell builtins, no fork: no docker CLI, no Python, no
 * process listing). The full probe runs instead when the target was never scanned, when containers came
 * or went (a known cgroup is gone, or the container ids beside the known cgroups changed), when the
 * refresh fails in any way, and at least every {@link #FULL_PROBE_EVERY} refreshes (compose files,
 * processes, engine state and kernel OOM lines are read only by the full probe).
 */
final class LiveRefresh {
    /** Light refreshes between two full probes of a target: 5 minutes at live mode's default 10 s. */
    static final int FULL_PROBE_EVERY = 30;

    /** What the last scan of a target read, when, and what the refreshes since saw beside its cgroups. */
    private record State(HostFacts facts, long readNanos, Set<String> siblingIds, int refreshes) {
    }

    /** A full scan of one target (the engine's {@code scanOne}). */
    interface FullScan {
        HostReport scan(String target, ScanOptions options) throws InterruptedException;
    }

    private final ProbeRunners runners;
    private final FullScan fullScan;
    private final Map<String, State> states = new ConcurrentHashMap<>();

    LiveRefresh(ProbeRunners runners, FullScan fullScan) {
        this.runners = runners;
        this.fullScan = fullScan;
    }

    /** Keeps a full scan's facts as the base of the target's next refreshes. */
    void remember(String target, HostFacts facts) {
        states.put(target, new State(facts, System.nanoTime(), null, 0));
    }

    /** The light refresh of one target, or its full scan when the light one cannot stand for it. */
    HostReport refreshOne(String target, ScanOptions options) throws InterruptedException {
        State st = states.get(target);
        if (st == null || st.refreshes() >= FULL_PROBE_EVERY || !lightPossible(target)) {
            return fullScan.scan(target, options);
        }
        long t0 = System.nanoTime();
        try {
            ProbeRunner runner = runners.forTarget(target);
            String nonce = ProbeScript.newNonce();
            ProbeRunner.ProbeOutput out = runner.refresh(nonce, RefreshScript.arguments(st.facts()), options.timeout());
            long elapsed = (t0 - st.readNanos()) / 1_000_000_000L;
            RefreshAssembler.Result r = RefreshAssembler.apply(st.facts(), ProbeStreamParser.parse(out.stdout(), nonce), elapsed);
            boolean containersChanged = st.siblingIds() != null && !st.siblingIds().equals(r.siblingIds());
            if (r.fullProbeReason() != null || containersChanged || out.truncated()) {
                states.remove(target);
                return fullScan.scan(target, options);
            }
            states.put(target, new State(r.facts(), t0, r.siblingIds(), st.refreshes() + 1));
            return new Analyzer(options.reserveBytes()).analyze(r.facts(), (System.nanoTime() - t0) / 1_000_000);
        } catch (ProbeException e) {
            states.remove(target);
            return fullScan.scan(target, options);
        }
    }

    /** Light refreshes since the target's last full scan, or -1 when it has none (for tests and benchmarks). */
    int refreshesSinceFullScan(String target) {
        State st = states.get(target);
        return st == null ? -1 : st.refreshes();
    }

    /** Not on a non-Linux {@code local} (OSHI reads it, there is no probe). */
    private static boolean lightPossible(String target) {
        return !ScanEngine.LOCAL.equals(target)
                || System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    }
}
