package io.headroom.analysis;

import io.headroom.model.ContainerReport;
import io.headroom.model.MemInfo;

import java.util.List;

/**
 * What a VM can give Dask (see docs/decisions/0003-vm-budget.md):
 * {@code budget = MemAvailable + Σ working set of the Dask containers − reserve}, where a
 * container's working set is {@code usage − inactive_file} of its memory cgroup. MemAvailable
 * already excludes what the Dask containers hold now; adding their working set back gives what
 * Dask could use if it were restarted, the same quantity the seed's boot-time measurement takes
 * before Dask starts. The reserve is kept for the OS, agents and growth.
 */
public final class BudgetPolicy {
    /** Default reserve as a fraction of MemTotal. */
    public static final double DEFAULT_RESERVE_FRACTION = 0.05;

    private BudgetPolicy() {
    }

    /** The default reserve for a host: 5% of MemTotal, in bytes. */
    public static long defaultReserve(MemInfo mem) {
        return (long) (mem.memTotalBytes() * DEFAULT_RESERVE_FRACTION);
    }

    /** The budget in bytes, never negative. */
    public static long budget(MemInfo mem, List<ContainerReport> daskContainers, long reserveBytes) {
        long working = 0;
        for (ContainerReport c : daskContainers) {
            if (c.facts().cgroup() != null && c.facts().cgroup().workingSetBytes() != null) {
                working += c.facts().cgroup().workingSetBytes();
            }
        }
        long budget = mem.memAvailableBytes() + working - reserveBytes;
        return Math.max(0, Math.min(budget, mem.memTotalBytes()));
    }
}
