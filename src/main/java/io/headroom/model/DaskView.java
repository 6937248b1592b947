package io.headroom.model;

import java.util.Map;

/**
 * The files exactly as a process inside the container sees them (read through
 * {@code /proc/PID/root}): the ones {@code distributed.system.memory_limit()} and
 * {@code dask.system.cpu_count()} open. Values are raw file contents, trimmed; a path that does
 * not exist in the container is absent from the map.
 *
 * @param memTotalBytes MemTotal of the container's {@code /proc/meminfo} (differs from the host's
 *                      under lxcfs), null when unreadable
 * @param files         absolute in-container path to raw content
 * @param environ       the process's own environment from {@code /proc/PID/environ} as the probe
 *                      passes it on (values of the variables the model reads, other {@code DASK_*}
 *                      names with a masked value), or null when it was not read (unreadable, or an
 *                      older probe)
 */
public record DaskView(Long memTotalBytes, Map<String, String> files, Map<String, String> environ) {
    public DaskView {
        files = Map.copyOf(files);
        environ = environ == null ? null : Map.copyOf(environ);
    }

    /** A view without the process's environment. */
    public DaskView(Long memTotalBytes, Map<String, String> files) {
        this(memTotalBytes, files, null);
    }
}
