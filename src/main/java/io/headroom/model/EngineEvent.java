package io.headroom.model;

import java.time.Instant;

/**
 * One {@code oom} or {@code die} event of the container engine ({@code docker events}), for the death timeline
 * (issue 20). {@code die} is every exit of a container (State.FinishedAt keeps only the last one); {@code oom}
 * is the engine seeing an OOM in the container's memory cgroup, also when only a child process (a Dask worker
 * under its nanny) was killed.
 *
 * @param time        wall-clock time of the event (the engine's nanoseconds)
 * @param action      {@code oom} or {@code die} (other actions are kept as read)
 * @param containerId the container's full id
 * @param exitCode    the exit code of a {@code die}, or null
 * @param name        the container's name, or null
 */
public record EngineEvent(Instant time, String action, String containerId, Integer exitCode, String name) {
    /** The event as one evidence line. */
    public String line() {
        return "engine event: " + time + " " + action + " " + (name == null ? containerId : name)
                + (exitCode == null ? "" : " exitCode=" + exitCode);
    }
}
