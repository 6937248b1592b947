package io.headroom.model;

/** Stable identifiers of findings; never renamed once released (scripts match on them). */
public enum FindingCode {
    /** A Dask container has no cgroup memory limit. */
    NO_LIMIT,
    /** A container's limit, or Dask's terminate threshold, is above what the VM can give. */
    LIMIT_ABOVE_AVAILABLE,
    /** The Dask containers' limits on one VM add up to more than its budget. */
    OVERCOMMIT,
    /** A soft limit, memory.low or memory.high makes Dask's budget smaller than the hard limit. */
    RESERVATION_SHRINKS_DASK,
    /** A hard RLIMIT_RSS below the cgroup limit makes Dask's budget smaller than the container (the kernel ignores it). */
    RLIMIT_SHRINKS_DASK,
    /** Dask was told a memory limit above the container's cgroup limit. */
    DASK_LIMIT_ABOVE_CGROUP,
    /**
     * Dask's auto budget is the cgroup limit × min(1, nthreads / CPUs): with fewer threads than CPUs its workers
     * use only that fraction of the container's limit.
     */
    DASK_USES_FRACTION_OF_LIMIT,
    /** A decimal Dask size next to a binary Docker size. */
    UNIT_CONFUSION,
    /** The kernel's OOM killer killed processes of this container. */
    OOM_KILLS,
    /** A limit far below what the VM could give. */
    WASTED_HEADROOM,
    /** AVAILABLE_MEMORY_FOR_DASK is set to something compose cannot read as a size. */
    ENV_VALUE_INVALID,
    /** Headroom could not find Dask's version and assumed one. */
    DASK_VERSION_UNKNOWN,
    /** Dask-related containers exist but no worker process was found in them. */
    NO_WORKER_PROCESS,
    /** The scheduler reports a worker memory limit other than Headroom's prediction. */
    DASK_LIMIT_MISMATCH,
    /** The probe's user may not use docker on the VM (and sudo -n did not help). */
    DOCKER_NOT_PERMITTED,
    /** Dask refuses the worker's options at start-up (e.g. --nworkers 0, --no-nanny with several workers): no worker runs. */
    WORKER_WONT_START,
    /** A negative --memory-limit: Dask keeps it, spills every result at once and never pauses or restarts the worker. */
    NEGATIVE_MEMORY_LIMIT,
    /** The nanny's limit is 1 byte (--memory-limit 1B, 1.5): it restarts the worker as soon as it runs, again and again. */
    RESTART_LOOP,
    /**
     * Part of the VM could not be seen (the containers could not be listed, MemAvailable could not be read):
     * no finding about it does not mean it is healthy.
     */
    SCAN_INCOMPLETE;

    /** True for the codes that say the scan could not see everything (the host's status is then "incomplete"). */
    public boolean blindSpot() {
        return this == SCAN_INCOMPLETE || this == DOCKER_NOT_PERMITTED;
    }
}
