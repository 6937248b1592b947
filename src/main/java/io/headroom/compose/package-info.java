/**
 * Compose-file editing: sets the memory limit of chosen services in docker-compose files as a
 * minimal, verified edit of their text, and produces what goes with it (the {@code .env} line, the
 * boot-time script and systemd unit that measure MemAvailable, a unified diff). Pure: text in, text
 * out; no I/O, no dependencies on other Headroom packages but the model.
 *
 * <p>A project is read as Compose v2 reads it (YAML 1.2 scalars, {@code !reset} / {@code !override} kept and
 * applied, {@code ---} documents merged, {@code include}, {@code extends}); see docs/decisions/0018.
 *
 * <p>Entry points: {@link io.headroom.compose.ComposeEditor#edit(io.headroom.compose.EditRequest)},
 * {@link io.headroom.compose.DotEnvEditor}, {@link io.headroom.compose.BootSnippets},
 * {@link io.headroom.compose.ComposeDiff}.
 *
 * <p>Reservation policy (see {@link io.headroom.compose.ReservationPolicy}): by default a targeted
 * service's {@code mem_reservation} / {@code deploy.resources.reservations.memory} is <em>removed</em>,
 * because docker maps it to the cgroup v1 soft limit / v2 {@code memory.low}, which Dask's
 * {@code memory_limit()} also reads (it takes the minimum), so a reservation below the limit shrinks the
 * worker's budget. Where removal is impossible without touching services that are not targeted, the
 * reservation is set equal to the limit instead.
 */
package io.headroom.compose;
