package io.headroom.compose;

/**
 * What to do with a memory reservation ({@code mem_reservation}, {@code deploy.resources.reservations.memory})
 * of a targeted service. Docker turns it into the cgroup v1 soft limit / the cgroup v2 {@code memory.low},
 * and Dask's {@code memory_limit()} takes the minimum of every limit it can read, those included: a
 * reservation below the new limit silently shrinks the worker's budget (and its spill/pause/terminate
 * thresholds) to the reservation.
 */
public enum ReservationPolicy {
    /**
     * The default: delete the key (Dask's budget becomes the limit; no memory is pinned against the
     * kernel's reclaim). Where the key comes from an anchor shared with services that are not
     * targeted, the service gets an explicit key equal to the limit instead (reported in the notes).
     */
    REMOVE,
    /** Set it equal to the new limit (Dask's budget becomes the limit; memory.low then protects the whole container). */
    MATCH_LIMIT
}
