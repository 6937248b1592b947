package io.headroom.analysis;

import io.headroom.analysis.dask.WorkerCommandLine;
import io.headroom.model.CgroupMemory;
import io.headroom.model.ContainerFacts;
import io.headroom.model.DaskView;
import io.headroom.model.HostFacts;
import io.headroom.model.HostReport;
import io.headroom.model.ProcessFacts;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What Dask and the kernel would do with another limit, another {@code --memory-limit} or another
 * {@code --nworkers} for one container, before anything is pushed: the scan's facts are changed as
 * the change would change them (the cgroup files the container and Dask's processes read, the
 * worker's command line) and analysed by the same {@link Analyzer} and Dask model the scan uses.
 * Pure.
 */
public final class WhatIf {
    /** The cgroup v1 value for "no limit" (PAGE_COUNTER_MAX × 4096 on 64-bit kernels), as Docker leaves it. */
    static final String V1_UNLIMITED = "9223372036854771712";

    /**
     * A change to one container.
     *
     * @param limitBytes  the new cgroup memory limit in bytes, 0 for none, or null to keep it
     * @param memoryLimit the worker's new {@code --memory-limit} as Dask reads it ({@code auto}, {@code 4GiB}, {@code 0.5}),
     *                    or null to keep it
     * @param nworkers    the new {@code --nworkers} ({@code 2}, {@code -1}, {@code auto}), or null to keep it
     */
    public record Change(Long limitBytes, String memoryLimit, String nworkers) {
        public boolean none() {
            return limitBytes == null && memoryLimit == null && nworkers == null;
        }
    }

    private WhatIf() {
    }

    /**
     * The host as it would be after the change to the named container, analysed with the scan's reserve.
     *
     * @throws IllegalArgumentException when the host has no container of that name
     */
    public static HostReport apply(HostReport scanned, String container, Change change) {
        HostFacts f = scanned.facts();
        List<ContainerFacts> cs = new ArrayList<>();
        boolean found = false;
        for (ContainerFacts c : f.containers()) {
            if (c.name().equals(container)) {
                cs.add(changed(c, change));
                found = true;
            } else {
                cs.add(c);
            }
        }
        if (!found) {
            throw new IllegalArgumentException("no container named '" + container + "' on " + scanned.target());
        }
        HostFacts after = new HostFacts(f.target(), f.probeVersion(), f.epochSeconds(), f.hostname(), f.kernelRelease(), f.cpuCount(),
                f.cgroupMode(), f.memInfo(), cs, f.composeFiles(), f.dotEnvValues(), f.environmentValue(), f.oomEvents(), f.problems(),
                f.dockerAvailable());
        return new Analyzer(scanned.reserveBytes()).analyze(after, scanned.scanMillis());
    }

    static ContainerFacts changed(ContainerFacts c, Change change) {
        Long limit = change.limitBytes() == null ? null : change.limitBytes() <= 0 ? Long.valueOf(0) : change.limitBytes();
        CgroupMemory cg = c.cgroup();
        if (limit != null && cg != null) {
            cg = new CgroupMemory(cg.version(), cg.directory(), limit == 0 ? null : limit, cg.softLimitBytes(), cg.highBytes(),
                    cg.lowBytes(), cg.usageBytes(), cg.peakBytes(), cg.inactiveFileBytes(), cg.oomKills(), cg.cpuQuotaMicros(),
                    cg.cpuPeriodMicros(), cg.rawFiles());
        }
        List<ProcessFacts> ps = new ArrayList<>();
        for (ProcessFacts p : c.processes()) {
            List<String> argv = WorkerCommandLine.parse(p.argv()).isPresent() ? withOptions(p.argv(), change) : p.argv();
            DaskView view = limit == null || p.view() == null ? p.view() : withLimit(p.view(), limit);
            ps.add(new ProcessFacts(p.pid(), p.ppid(), argv, p.name(), p.rssLimitHardBytes(), p.cpusAllowed(), p.rssBytes(),
                    p.daskVersions(), view));
        }
        List<String> command = WorkerCommandLine.fromContainerCommand(c.command()).isPresent() ? withOptions(c.command(), change)
                : c.command();
        return new ContainerFacts(c.id(), c.name(), c.image(), command, c.pid(), c.status(), c.startedAt(), c.oomKilledFlag(),
                c.restartCount(), limit == null ? c.memoryLimitBytes() : limit == 0 ? null : limit, c.memoryReservationBytes(),
                c.memorySwapBytes(), c.composeProject(), c.composeService(), c.composeWorkingDir(), c.composeFiles(), c.env(), cg,
                ps, c.workerDeaths());
    }

    /** The hard-limit files in a process's view hold the new limit (v1 and v2 spellings, as the process reads them). */
    static DaskView withLimit(DaskView view, long limit) {
        Map<String, String> files = new HashMap<>(view.files());
        for (Map.Entry<String, String> e : view.files().entrySet()) {
            if (e.getKey().endsWith("/memory.max")) {
                files.put(e.getKey(), limit == 0 ? "max" : Long.toString(limit));
            } else if (e.getKey().endsWith("/memory.limit_in_bytes")) {
                files.put(e.getKey(), limit == 0 ? V1_UNLIMITED : Long.toString(limit));
            }
        }
        return new DaskView(view.memTotalBytes(), files, view.environ(), view.configFiles());
    }

    /** The command line with {@code --memory-limit} and {@code --nworkers} replaced (every spelling of them removed first). */
    static List<String> withOptions(List<String> argv, Change change) {
        List<String> out = new ArrayList<>(argv);
        if (change.memoryLimit() != null) {
            replace(out, "--memory-limit", change.memoryLimit());
        }
        if (change.nworkers() != null) {
            replace(out, "--nworkers", change.nworkers());
        }
        return out;
    }

    private static void replace(List<String> argv, String option, String value) {
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals(option) || (option.equals("--nworkers") && a.equals("--nprocs"))) {
                argv.remove(i);
                if (i < argv.size()) {
                    argv.remove(i);
                }
                i--;
            } else if (a.startsWith(option + "=")) {
                argv.remove(i);
                i--;
            }
        }
        argv.add(option);
        argv.add(value);
    }
}
