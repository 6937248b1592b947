package io.headroom.engine.report;

import io.headroom.model.CgroupMemory;
import io.headroom.model.ContainerReport;
import io.headroom.model.DaskWorker;
import io.headroom.model.MemoryThresholds;

/**
 * One Dask container's memory figures in bytes: what the kernel enforces and sees, and what Dask
 * will do (sums over the container's workers). Null means unlimited, unknown or disabled.
 *
 * @param name       container name
 * @param limit      the cgroup limit (null = unlimited)
 * @param usage      current usage of the cgroup
 * @param peak       peak usage, when the kernel keeps it
 * @param daskLimit  Σ of the workers' Dask memory limits
 * @param spill      Σ spill thresholds
 * @param pause      Σ pause thresholds
 * @param terminate  Σ terminate (nanny restart) thresholds
 * @param reported   Σ of what the scheduler reported, when known
 * @param workers    number of predicted workers
 * @param thresholds the first worker's fractions (Dask's defaults when there is no worker)
 * @param oomKills   the cgroup's oom_kill counter
 * @param terminateNote why nothing restarts the workers on memory, or restarts them at once (no nanny, a
 *                   nanny limit of 1 byte), else null
 * @param daskLimitNote what a negative Dask limit does, else null
 */
public record ContainerFigures(String name, Long limit, Long usage, Long peak, Long daskLimit, Long spill, Long pause,
                               Long terminate, Long reported, int workers, MemoryThresholds thresholds, Long oomKills,
                               String terminateNote, String daskLimitNote) {

    public static ContainerFigures of(ContainerReport c) {
        CgroupMemory cg = c.facts().cgroup();
        Long dask = null;
        Long spill = null;
        Long pause = null;
        Long term = null;
        Long reported = null;
        for (DaskWorker w : c.workers()) {
            dask = plus(dask, w.memoryLimitBytes());
            spill = plus(spill, w.spillBytes());
            pause = plus(pause, w.pauseBytes());
            term = plus(term, w.terminateBytes());
            reported = plus(reported, w.reportedLimitBytes());
        }
        DaskWorker first = c.workers().isEmpty() ? null : c.workers().get(0);
        MemoryThresholds t = first == null ? MemoryThresholds.DEFAULTS : first.thresholds();
        return new ContainerFigures(c.facts().name(), c.cgroupLimitBytes(), cg == null ? null : cg.usageBytes(),
                cg == null ? null : cg.peakBytes(), dask, spill, pause, term, reported, c.workers().size(), t,
                cg == null ? null : cg.oomKills(), first == null ? null : terminateNote(first),
                first == null || !first.negativeLimit() ? null : "negative (" + first.memoryLimitExact()
                        + " bytes in the worker): every result is spilled to disk at once, no pause, no restart");
    }

    private static String terminateNote(DaskWorker w) {
        if (w.noNanny()) {
            return w.noNannyText();
        }
        return java.math.BigInteger.ONE.equals(w.nannyLimitExact()) && w.terminateBytes() != null
                ? "at once: the nanny's limit is 1 byte, it restarts the worker again and again" : null;
    }

    private static Long plus(Long sum, Long v) {
        if (v == null) {
            return sum;
        }
        return sum == null ? v : Long.valueOf(sum + v);
    }
}
