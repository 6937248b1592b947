package io.headroom.model;

import java.time.Instant;

/**
 * One memory-related line of a Dask container's log (issue 20). The message texts are Dask's own,
 * see {@code io.headroom.probe.parse.DaskLogParser} for the source lines they come from.
 *
 * @param time          wall-clock time (the engine's {@code --timestamps} prefix, else Dask's own
 *                      asctime read as UTC), or null when the line carries none
 * @param kind          what the line says
 * @param containerId   the container whose log held the line
 * @param pid           the worker process's pid inside the container (nanny lines), or null
 * @param number        the signal (KILLED_BY_SIGNAL), exit status (EXITED), percentage (PAUSED,
 *                      NANNY_RESTART) or allowed failures (TASK_FAILED); null when absent
 * @param workerAddress the worker's address when the line names it, or null
 * @param taskKey       the task key of a TASK_FAILED line, or null
 * @param line          the line as read (ANSI colours removed, capped)
 */
public record DaskLogEvent(Instant time, Kind kind, String containerId, Integer pid, Integer number,
                           String workerAddress, String taskKey, String line) {
    /** What a Dask log line says. */
    public enum Kind {
        /** worker: "Unmanaged memory use is high" (70%, the spill target, with nothing left to spill) */
        UNMANAGED_HIGH,
        /** worker: "Worker is at N% memory usage. Pausing worker." (80%) */
        PAUSED,
        /** worker: "... Resuming worker." */
        RESUMED,
        /** nanny: "Worker exceeded 95% memory budget. Restarting" */
        NANNY_RESTART,
        /** nanny: "Worker process N was killed by signal S" (or "by unknown signal") */
        KILLED_BY_SIGNAL,
        /** nanny: "Worker process N exited with status S" */
        EXITED,
        /** scheduler: "Task K marked as failed because N workers died while trying to run it" */
        TASK_FAILED
    }
}
