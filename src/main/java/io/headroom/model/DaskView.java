package io.headroom.model;

import java.util.List;
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
 * @param configFiles   Dask's YAML config files as the probe read them, in Dask's order: {@code yaml-file<TAB>PATH},
 *                      {@code yaml<TAB>KEY<TAB>VALUE} (the memory thresholds only) and
 *                      {@code yaml-unread<TAB>PATH<TAB>REASON} lines; empty when none or not collected
 */
public record DaskView(Long memTotalBytes, Map<String, String> files, Map<String, String> environ, List<String> configFiles) {
    public DaskView {
        files = Map.copyOf(files);
        environ = environ == null ? null : Map.copyOf(environ);
        configFiles = configFiles == null ? List.of() : List.copyOf(configFiles);
    }

    /** A view without config files. */
    public DaskView(Long memTotalBytes, Map<String, String> files, Map<String, String> environ) {
        this(memTotalBytes, files, environ, List.of());
    }

    /** A view without the process's environment. */
    public DaskView(Long memTotalBytes, Map<String, String> files) {
        this(memTotalBytes, files, null);
    }
}
