package io.headroom.model;

import java.util.List;

/**
 * One Dask worker as Headroom predicts Dask will configure it.
 *
 * @param pid                 host pid of the worker process (or of the launcher when the worker
 *                            processes were not found)
 * @param launcherPid         host pid of the {@code dask worker} command that started it
 * @param argv                the launcher's command line
 * @param daskVersion         the {@code distributed} version found, or null
 * @param nthreads            threads per worker
 * @param nworkers            workers started by the launcher
 * @param cpuCount            what {@code dask.system.cpu_count()} returns inside the container
 * @param memoryLimitSpec     the {@code --memory-limit} value as given (default {@code auto})
 * @param systemLimitBytes    Dask's {@code distributed.system.MEMORY_LIMIT} in this container
 * @param systemLimitSource   which input decided systemLimitBytes (a file path, MemTotal, RLIMIT_RSS)
 * @param memoryLimitBytes    the worker's memory limit in bytes, null when Dask runs without one
 * @param thresholds          spill/pause/terminate fractions in effect
 * @param derivation          the steps that led to memoryLimitBytes, in plain words
 * @param reportedLimitBytes  what the scheduler reports for this worker, when known (else null)
 */
public record DaskWorker(
        int pid,
        int launcherPid,
        List<String> argv,
        String daskVersion,
        int nthreads,
        int nworkers,
        int cpuCount,
        String memoryLimitSpec,
        long systemLimitBytes,
        String systemLimitSource,
        Long memoryLimitBytes,
        MemoryThresholds thresholds,
        List<String> derivation,
        Long reportedLimitBytes) {

    public DaskWorker {
        argv = List.copyOf(argv);
        derivation = List.copyOf(derivation);
    }

    /** Bytes at which the nanny restarts the worker, or null. */
    public Long terminateBytes() {
        return MemoryThresholds.bytes(thresholds.terminate(), memoryLimitBytes);
    }

    /** Bytes at which the worker pauses, or null. */
    public Long pauseBytes() {
        return MemoryThresholds.bytes(thresholds.pause(), memoryLimitBytes);
    }

    /** Bytes at which the worker spills by process memory, or null. */
    public Long spillBytes() {
        return MemoryThresholds.bytes(thresholds.spill(), memoryLimitBytes);
    }
}
