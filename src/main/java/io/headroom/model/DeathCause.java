package io.headroom.model;

/** Why a Dask worker died, as the death timeline classifies it (issue 20). */
public enum DeathCause {
    /** The kernel's OOM killer, inside the container's memory cgroup (the container's limit was reached). */
    KERNEL_OOM_CONTAINER,
    /** The kernel's OOM killer because the whole VM ran out of memory (global OOM). */
    KERNEL_OOM_HOST,
    /** Dask's nanny restarted the worker at its terminate threshold (95% of the budget by default). */
    DASK_NANNY_RESTART,
    /** The worker process was killed by a signal no other evidence explains. */
    KILLED_BY_SIGNAL,
    /** The whole container exited (its first process ended), as the engine reports it. */
    CONTAINER_EXITED;

    /** True for a kill by the kernel's OOM killer, the container's or the VM's. */
    public boolean kernelOom() {
        return this == KERNEL_OOM_CONTAINER || this == KERNEL_OOM_HOST;
    }
}
