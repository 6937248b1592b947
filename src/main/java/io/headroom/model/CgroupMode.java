package io.headroom.model;

/** Which cgroup hierarchies a host mounts, as read from {@code /proc/self/mountinfo}. */
public enum CgroupMode {
    /** Only legacy (v1) controller hierarchies. */
    V1,
    /** Only the unified (v2) hierarchy. */
    V2,
    /** v1 controllers plus a v2 hierarchy (usually at {@code /sys/fs/cgroup/unified}) without controllers. */
    HYBRID,
    /** Nothing recognisable was mounted or mountinfo was unreadable. */
    UNKNOWN
}
