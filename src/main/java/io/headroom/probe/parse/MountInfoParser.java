package io.headroom.probe.parse;

import io.headroom.model.CgroupMode;

/**
 * Decides the cgroup mode from {@code /proc/self/mountinfo} lines (proc(5): fields up to a
 * {@code " - "} separator, then filesystem type, source and super options).
 * v2 alone: one cgroup2 mount and no v1 controller mounts. Hybrid: v1 controllers plus a cgroup2
 * mount (systemd's {@code /sys/fs/cgroup/unified}). v1: cgroup mounts only.
 */
public final class MountInfoParser {
    private MountInfoParser() {
    }

    public static CgroupMode cgroupMode(String text) {
        boolean v1 = false;
        boolean v2 = false;
        for (String line : text.split("\n")) {
            int sep = line.indexOf(" - ");
            if (sep < 0) {
                continue;
            }
            String[] after = line.substring(sep + 3).split(" ");
            if (after.length == 0) {
                continue;
            }
            if (after[0].equals("cgroup2")) {
                v2 = true;
            } else if (after[0].equals("cgroup")) {
                v1 = true;
            }
        }
        if (v1 && v2) {
            return CgroupMode.HYBRID;
        }
        if (v1) {
            return CgroupMode.V1;
        }
        return v2 ? CgroupMode.V2 : CgroupMode.UNKNOWN;
    }
}
