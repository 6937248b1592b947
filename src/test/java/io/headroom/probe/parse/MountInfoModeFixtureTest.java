package io.headroom.probe.parse;

import io.headroom.model.CgroupMode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static io.headroom.probe.parse.V2Fixtures.v2;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link MountInfoParser#cgroupMode} on v2-only, v1-only, hybrid and empty mountinfo sections. */
class MountInfoModeFixtureTest {
    @Test
    void unifiedOnlyIsV2() {
        assertEquals(CgroupMode.V2, MountInfoParser.cgroupMode(v2("mountinfo-v2.txt")));
    }

    @Test
    void legacyOnlyIsV1() {
        assertEquals(CgroupMode.V1, MountInfoParser.cgroupMode(v2("mountinfo-v1.txt")));
    }

    @Test
    void capturedLabMachineIsHybrid() {
        assertEquals(CgroupMode.HYBRID, MountInfoParser.cgroupMode(v2("mountinfo-hybrid.txt")));
    }

    @Test
    void capturedFullMountinfoIsHybrid() {
        java.util.Map<String, String> captures = V2Fixtures.captured("proc/self/mountinfo");
        Assumptions.assumeFalse(captures.isEmpty(), "no captured mountinfo (captured/ is being regenerated)");
        captures.forEach((path, full) -> assertEquals(CgroupMode.HYBRID, MountInfoParser.cgroupMode(full), path));
    }

    @Test
    void hybridIsDecidedByTypeNotByMountPoint() {
        // the v2 line alone, mounted at /sys/fs/cgroup/unified, is still "only cgroup2"
        String unifiedOnly = v2("mountinfo-hybrid.txt").lines().filter(l -> l.contains(" - cgroup2 "))
                .reduce("", (a, b) -> a + b + "\n");
        assertEquals(CgroupMode.V2, MountInfoParser.cgroupMode(unifiedOnly));
        assertEquals(CgroupMode.HYBRID, MountInfoParser.cgroupMode(v2("mountinfo-v1.txt") + v2("mountinfo-v2.txt")));
    }

    @Test
    void emptyOrNoCgroupIsUnknown() {
        assertEquals(CgroupMode.UNKNOWN, MountInfoParser.cgroupMode(""));
        assertEquals(CgroupMode.UNKNOWN, MountInfoParser.cgroupMode("\n\n"));
        assertEquals(CgroupMode.UNKNOWN,
                MountInfoParser.cgroupMode("31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"));
        // "cgroup2fs" or a mount point called cgroup2 are not the type field
        assertEquals(CgroupMode.UNKNOWN,
                MountInfoParser.cgroupMode("40 31 0:37 / /mnt/cgroup2 rw - ext4 /dev/sda1 rw\n"));
    }

    @Test
    void crlfLinesKeepTheirMode() {
        assertEquals(CgroupMode.V2, MountInfoParser.cgroupMode(v2("mountinfo-v2.txt").replace("\n", "\r\n")));
        assertEquals(CgroupMode.V1, MountInfoParser.cgroupMode(v2("mountinfo-v1.txt").replace("\n", "\r\n")));
        assertEquals(CgroupMode.HYBRID, MountInfoParser.cgroupMode(v2("mountinfo-hybrid.txt").replace("\n", "\r\n")));
    }
}
