package io.headroom.engine.inventory;

import java.util.List;

/**
 * A named group of VMs scanned together.
 *
 * @param name      the cluster's name
 * @param hosts     targets: {@code [user@]host[:port]} or ssh_config aliases
 * @param user      default user for hosts that name none, or null
 * @param jump      ProxyJump for every host ({@code [user@]host[:port]}), or null
 * @param sudo      how the probe may use sudo for docker: auto, never, always (null = auto)
 * @param reserve   memory kept for the OS and agents, as written (e.g. {@code 1GiB}), or null
 * @param scheduler the Dask scheduler's dashboard URL (for ground truth), or null
 */
public record Cluster(String name, List<String> hosts, String user, String jump, String sudo, String reserve,
                      String scheduler) {
    public Cluster {
        hosts = List.copyOf(hosts);
    }

    /** The hosts as targets, with the default user applied where a host names none. */
    public List<String> targets() {
        if (user == null || user.isBlank()) {
            return hosts;
        }
        return hosts.stream().map(h -> h.contains("@") ? h : user + "@" + h).toList();
    }
}
