package io.headroom.analysis.dask;

import java.util.List;

/**
 * Which cgroup files {@code distributed.system.memory_limit()} reads, by Dask version.
 * <ul>
 *   <li>≤ 2022.9.1: only {@code /sys/fs/cgroup/memory/memory.limit_in_bytes}
 *       (distributed/system.py before dask/distributed#7051).</li>
 *   <li>2022.9.2 – 2023.9.x: also the v1 soft limit, v2 {@code memory.max} and {@code memory.high}
 *       (distributed/system.py, 2022.12.1 as shipped by Debian, read on this machine).</li>
 *   <li>≥ 2023.10.0: also v2 {@code memory.low}.</li>
 * </ul>
 * Each file is read with {@code int(f.read())}; a value that is not an integer (e.g. {@code max})
 * or is ≤ 0 is ignored; the smallest remaining value is taken together with the host total.
 */
public enum DaskVersionBand {
    UP_TO_2022_9_1(List.of("/sys/fs/cgroup/memory/memory.limit_in_bytes")),
    FROM_2022_9_2(List.of(
            "/sys/fs/cgroup/memory/memory.limit_in_bytes",
            "/sys/fs/cgroup/memory/memory.soft_limit_in_bytes",
            "/sys/fs/cgroup/memory.max",
            "/sys/fs/cgroup/memory.high")),
    FROM_2023_10_0(List.of(
            "/sys/fs/cgroup/memory/memory.limit_in_bytes",
            "/sys/fs/cgroup/memory/memory.soft_limit_in_bytes",
            "/sys/fs/cgroup/memory.max",
            "/sys/fs/cgroup/memory.high",
            "/sys/fs/cgroup/memory.low"));

    private final List<String> cgroupFiles;

    DaskVersionBand(List<String> cgroupFiles) {
        this.cgroupFiles = cgroupFiles;
    }

    /** The files memory_limit() opens, in its order. */
    public List<String> cgroupFiles() {
        return cgroupFiles;
    }

    /** The band of a version; null means unknown and yields the newest band. */
    public static DaskVersionBand of(DaskVersion v) {
        if (v == null) {
            return FROM_2023_10_0;
        }
        if (v.atLeast(2023, 10, 0)) {
            return FROM_2023_10_0;
        }
        if (v.atLeast(2022, 9, 2)) {
            return FROM_2022_9_2;
        }
        return UP_TO_2022_9_1;
    }
}
