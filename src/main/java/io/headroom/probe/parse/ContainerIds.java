package io.headroom.probe.parse;

/**
 * The container a memory-cgroup path belongs to (issue 20): the kernel's OOM lines name the cgroup,
 * not the container. v1 docker {@code /docker/<id>}, v1 podman {@code /libpod_parent/libpod-<id>},
 * v2 systemd driver {@code /system.slice/docker-<id>.scope}, podman {@code libpod-<id>.scope[/container]},
 * CRI {@code cri-containerd-<id>.scope} / {@code crio-<id>.scope}. Pure, no regex.
 */
public final class ContainerIds {
    private static final String[] PREFIXES = {"docker-", "libpod-", "cri-containerd-", "crio-"};

    private ContainerIds() {
    }

    /** The full container id (lower-case hex, 64 characters) named by the path, or null. */
    public static String fromCgroupPath(String path) {
        if (path == null || path.isEmpty()) {
            return null;
        }
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            String seg = parts[i];
            if (seg.endsWith(".scope")) {
                seg = seg.substring(0, seg.length() - 6);
            }
            for (String p : PREFIXES) {
                if (seg.startsWith(p)) {
                    seg = seg.substring(p.length());
                    break;
                }
            }
            if (seg.length() == 64 && isHex(seg)) {
                return seg;
            }
        }
        return null;
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
