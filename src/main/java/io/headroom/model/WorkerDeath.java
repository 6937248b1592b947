package io.headroom.model;

import java.time.Instant;
import java.util.List;

/**
 * One Dask worker death with its verdict, evidence and fix (issue 20).
 *
 * @param time          wall-clock time of the death (the kernel's kill, else Dask's line, else the
 *                      engine's FinishedAt), or null when no source gave one
 * @param cause         the verdict
 * @param uncertain     why the verdict may be wrong (clock disagreement, PID reuse, container
 *                      recreated, truncated log, no wall-clock time), or null when the evidence agrees
 * @param containerId   the container, or null when the kernel named a cgroup no container has now
 * @param container     the container's name, or null
 * @param service       the compose service, or null
 * @param workerAddress the worker's address when a log line named it, or null
 * @param hostPid       the killed process's pid on the host (kernel), or null
 * @param workerPid     the worker's pid inside the container (nanny), or null
 * @param limitBytes    the container's memory limit (bytes) known now, or null when none
 * @param budgetBytes   Dask's memory budget (bytes) known now, or null
 * @param fix           what to change, in plain words and bytes
 * @param evidence      the lines the verdict rests on, masked like everything that leaves a VM
 */
public record WorkerDeath(Instant time, DeathCause cause, String uncertain, String containerId, String container,
                          String service, String workerAddress, Integer hostPid, Integer workerPid, Long limitBytes,
                          Long budgetBytes, String fix, List<String> evidence) {
    public WorkerDeath {
        evidence = List.copyOf(evidence);
    }

    public boolean isUncertain() {
        return uncertain != null;
    }

    /** The death's one-line head as `headroom deaths` and the window's timeline show it: time, cause, container, worker, pids. */
    public String headline() {
        StringBuilder b = new StringBuilder();
        b.append(time == null ? "(no time)" : time).append("  ").append(cause)
                .append("  ").append(container == null ? "(unknown container)" : container);
        if (workerAddress != null) {
            b.append("  worker ").append(workerAddress);
        }
        if (workerPid != null) {
            b.append("  pid ").append(workerPid).append(" in the container");
        }
        if (hostPid != null) {
            b.append("  pid ").append(hostPid).append(" on the host");
        }
        return b.toString();
    }

    /** "limit …, Dask's budget …" in human units, or null when neither is known. */
    public String figures() {
        return limitBytes != null || budgetBytes != null
                ? "limit " + Bytes.human(limitBytes) + ", Dask's budget " + Bytes.human(budgetBytes) : null;
    }
}
