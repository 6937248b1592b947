package io.headroom.model;

import java.math.BigInteger;
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
 * @param memoryLimitBytes    the worker's memory limit in bytes, null when Dask runs without a usable one
 *                            (None, or a negative value: see memoryLimitExact)
 * @param thresholds          spill/pause/terminate fractions in effect
 * @param derivation          the steps that led to memoryLimitBytes, in plain words
 * @param reportedLimitBytes  what the scheduler reports for this worker, when known (else null)
 * @param noNanny             true with {@code --no-nanny}: no NannyMemoryManager, so nothing restarts the
 *                            worker on memory (distributed/nanny.py creates it, distributed/worker.py does not).
 *                            Negated so that snapshots written before it existed read as "with a nanny"
 * @param memoryLimitExact    the worker process's {@code memory_limit} in bytes exactly as Dask holds it: may be
 *                            negative or beyond a long; null when None
 * @param nannyLimitExact     the nanny's own {@code memory_limit} in bytes (what its memory monitor divides the
 *                            worker's RSS by), exactly; null without a nanny or when None. It differs from
 *                            memoryLimitExact when the worker re-parses it (1 byte, negative values)
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
        Long reportedLimitBytes,
        boolean noNanny,
        BigInteger memoryLimitExact,
        BigInteger nannyLimitExact) {

    public DaskWorker {
        argv = List.copyOf(argv);
        derivation = List.copyOf(derivation);
    }

    /** This worker with the limit the scheduler reports (bytes). */
    public DaskWorker withReported(Long reportedBytes) {
        return new DaskWorker(pid, launcherPid, argv, daskVersion, nthreads, nworkers, cpuCount, memoryLimitSpec,
                systemLimitBytes, systemLimitSource, memoryLimitBytes, thresholds, derivation, reportedBytes, noNanny,
                memoryLimitExact, nannyLimitExact);
    }

    /** "no restart at 95%: no nanny" (with the terminate fraction in effect) for a worker without a nanny, else null. */
    public String noNannyText() {
        return noNanny ? noNannyText(thresholds.terminate()) : null;
    }

    /** "no restart at 95%: no nanny", with the given terminate fraction (null: off). */
    public static String noNannyText(Double terminate) {
        return "no restart at " + (terminate == null ? "all"
                : String.format(java.util.Locale.ROOT, "%.0f%%", terminate * 100)) + ": no nanny";
    }

    /** True when Dask's memory limit is negative: every result is spilled at once, nothing pauses or restarts it. */
    public boolean negativeLimit() {
        return memoryLimitExact != null && memoryLimitExact.signum() < 0;
    }

    /**
     * Bytes of worker RSS at which the nanny restarts the worker, or null when nothing does: no nanny,
     * the threshold off, no limit, or a negative nanny limit ({@code memory / limit} is then never
     * above the fraction, distributed/worker_memory.py:406 at 2026.7.1). The nanny divides by its own
     * limit, so a nanny limit of 1 byte gives 0 here (restarted as soon as it runs).
     */
    public Long terminateBytes() {
        if (noNanny) {
            return null;
        }
        if (nannyLimitExact != null) {
            return nannyLimitExact.signum() <= 0 ? null : MemoryThresholds.bytes(thresholds.terminate(), nannyLimitExact.longValueExact());
        }
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
