package io.headroom.model;

import java.util.List;
import java.util.Map;

/**
 * One running container as the engine (docker or podman) and the kernel describe it.
 *
 * @param id                       full container id
 * @param name                     container name without the leading slash
 * @param image                    image reference
 * @param command                  the container's process: Path followed by Args
 * @param pid                      main process pid on the host
 * @param status                   engine state, e.g. running
 * @param startedAt                engine start time (RFC 3339 text) or null
 * @param oomKilledFlag            the engine's State.OOMKilled
 * @param restartCount             the engine's RestartCount
 * @param memoryLimitBytes         HostConfig.Memory; null when 0 (no limit)
 * @param memoryReservationBytes   HostConfig.MemoryReservation; null when 0
 * @param memorySwapBytes          HostConfig.MemorySwap; null when 0, -1 for unlimited swap
 * @param composeProject           label com.docker.compose.project, or null
 * @param composeService           label com.docker.compose.service, or null
 * @param composeWorkingDir        label com.docker.compose.project.working_dir, or null
 * @param composeFiles             label com.docker.compose.project.config_files, split on commas
 * @param env                      the Dask-relevant environment variables (only those leave the VM)
 * @param cgroup                   the kernel's view, or null when not readable
 * @param processes                Dask-looking processes found in the container's cgroup
 * @param workerDeaths             lines of the container's log where Dask's nanny reports a worker
 *                                 killed by a signal (read only after the kernel OOM-killed in it)
 */
public record ContainerFacts(
        String id,
        String name,
        String image,
        List<String> command,
        int pid,
        String status,
        String startedAt,
        boolean oomKilledFlag,
        int restartCount,
        Long memoryLimitBytes,
        Long memoryReservationBytes,
        Long memorySwapBytes,
        String composeProject,
        String composeService,
        String composeWorkingDir,
        List<String> composeFiles,
        Map<String, String> env,
        CgroupMemory cgroup,
        List<ProcessFacts> processes,
        List<String> workerDeaths) {

    public ContainerFacts {
        workerDeaths = workerDeaths == null ? List.of() : List.copyOf(workerDeaths);
        command = List.copyOf(command);
        composeFiles = List.copyOf(composeFiles);
        env = Map.copyOf(env);
        processes = List.copyOf(processes);
    }

    /** The first 12 characters of the id, as docker shows it. */
    public String shortId() {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    /** Copy with the kernel's view and processes attached. */
    public ContainerFacts with(CgroupMemory newCgroup, List<ProcessFacts> newProcesses) {
        return new ContainerFacts(id, name, image, command, pid, status, startedAt, oomKilledFlag, restartCount,
                memoryLimitBytes, memoryReservationBytes, memorySwapBytes, composeProject, composeService,
                composeWorkingDir, composeFiles, env, newCgroup, newProcesses, workerDeaths);
    }

    /** Copy with the worker-death lines of the container's log attached. */
    public ContainerFacts withWorkerDeaths(List<String> lines) {
        return new ContainerFacts(id, name, image, command, pid, status, startedAt, oomKilledFlag, restartCount,
                memoryLimitBytes, memoryReservationBytes, memorySwapBytes, composeProject, composeService,
                composeWorkingDir, composeFiles, env, cgroup, processes, lines);
    }
}
