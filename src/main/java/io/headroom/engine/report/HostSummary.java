package io.headroom.engine.report;

import io.headroom.model.ContainerFacts;
import io.headroom.model.ContainerReport;
import io.headroom.model.HostFacts;
import io.headroom.model.HostReport;
import io.headroom.model.OomEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * A scanned host's headline figures in bytes (null = unknown) and its Dask containers' figures.
 *
 * @param memTotal        MemTotal
 * @param memAvailable    MemAvailable
 * @param budget          what the VM can give Dask
 * @param reserve         the reserve kept for the OS and agents
 * @param daskLimitsSum   Σ of the Dask containers' cgroup limits (the limited ones)
 * @param anyUnlimited    a Dask container has no cgroup limit
 * @param containers      per Dask container
 */
public record HostSummary(Long memTotal, Long memAvailable, Long budget, long reserve, long daskLimitsSum,
                          boolean anyUnlimited, List<ContainerFigures> containers) {
    public HostSummary {
        containers = List.copyOf(containers);
    }

    public static HostSummary of(HostReport r) {
        var mem = r.scanned() ? r.facts().memInfo() : null;
        long sum = 0;
        boolean unlimited = false;
        for (ContainerReport c : r.daskContainers()) {
            if (c.cgroupLimitBytes() == null) {
                unlimited = true;
            } else {
                sum += c.cgroupLimitBytes();
            }
        }
        return new HostSummary(mem == null ? null : mem.memTotalBytes(), mem == null ? null : mem.memAvailableBytes(),
                r.budgetBytes(), r.reserveBytes(), sum, unlimited,
                r.daskContainers().stream().map(ContainerFigures::of).toList());
    }

    /** Σ Dask limits, or null when one of the containers is unlimited (so the sum is unbounded). */
    public Long daskLimits() {
        return anyUnlimited ? null : daskLimitsSum;
    }

    /**
     * Why a scanned host shows no Dask container, naming what the probe looked at: the containers
     * listed by {@code docker ps} (Docker Engine, or podman through its docker-compatible API) and,
     * in each, the container command and the processes in its cgroup.
     */
    public static String noDaskContainers(HostFacts f) {
        if (!f.dockerAvailable()) {
            return "No Dask worker containers found: the docker CLI (or podman's docker-compatible CLI) did not answer,"
                    + " so no containers could be listed (see what was not readable).";
        }
        int n = f.containers().size();
        return "No Dask worker containers: looked at " + n + " running container" + (n == 1 ? "" : "s")
                + " via `docker ps`; in none does the command or a process"
                + " run dask-worker, dask worker or python -m distributed.cli.dask_worker.";
    }

    /**
     * Kernel OOM kills, oldest first, each with the container it was attributed to, then the lines of
     * the containers' logs where Dask's nanny reports a killed worker.
     */
    public static List<String> oomTimeline(HostReport h) {
        if (!h.scanned()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (OomEvent e : h.facts().oomEvents()) {
            String owner = e.containerId() == null ? "not attributed" : h.facts().containers().stream()
                    .filter(c -> c.id().equals(e.containerId())).map(ContainerFacts::name).findFirst().orElse(e.containerId());
            out.add("[" + owner + "] " + e.line());
        }
        for (ContainerFacts c : h.facts().containers()) {
            for (String line : c.workerDeaths()) {
                out.add("[" + c.name() + ", container log] " + line);
            }
        }
        return out;
    }
}
