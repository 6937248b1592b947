package io.headroom.model;

import java.time.Instant;

/**
 * A container's state as the engine reports it ({@code docker inspect .State}), for the death timeline.
 * On podman (and docker) {@code OOMKilled} stays false when the kernel kills a worker process but the
 * container's first process (the nanny) survives: only the kernel log tells those deaths.
 *
 * @param containerId  full container id
 * @param name         container name without the leading slash
 * @param status       e.g. running, exited
 * @param oomKilled    State.OOMKilled
 * @param exitCode     State.ExitCode, or null
 * @param startedAt    State.StartedAt, or null
 * @param finishedAt   State.FinishedAt, or null (the engines' zero time reads as null)
 * @param restartCount RestartCount
 */
public record EngineState(String containerId, String name, String status, boolean oomKilled, Integer exitCode,
                          Instant startedAt, Instant finishedAt, int restartCount) {
}
