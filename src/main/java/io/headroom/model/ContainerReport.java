package io.headroom.model;

import java.util.List;

/**
 * A container with the Dask workers Headroom found and predicted in it.
 *
 * @param facts   what the probe saw
 * @param workers predicted Dask workers (empty for non-Dask containers)
 */
public record ContainerReport(ContainerFacts facts, List<DaskWorker> workers) {
    public ContainerReport {
        workers = List.copyOf(workers);
    }

    /** The kernel-enforced limit in bytes, or null when unlimited or unknown. */
    public Long cgroupLimitBytes() {
        return facts.cgroup() != null ? facts.cgroup().hardLimitBytes() : facts.memoryLimitBytes();
    }
}
