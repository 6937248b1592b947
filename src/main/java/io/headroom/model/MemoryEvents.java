package io.headroom.model;

/**
 * A container's memory-cgroup event counters, since the cgroup was created. v2 {@code memory.events};
 * v1 has only {@code memory.failcnt} (times the limit was hit) and {@code oom_kill} of
 * {@code memory.oom_control}. A counter the version lacks is null.
 *
 * @param oom     v2 {@code oom}: times the OOM killer was invoked in the cgroup
 * @param oomKill v2 {@code oom_kill} / v1 oom_control {@code oom_kill}: processes killed
 * @param max     v2 {@code max}: times usage was about to pass memory.max
 * @param high    v2 {@code high}: times usage passed memory.high (throttled)
 * @param failcnt v1 {@code memory.failcnt}: times usage hit the limit
 */
public record MemoryEvents(Long oom, Long oomKill, Long max, Long high, Long failcnt) {
}
