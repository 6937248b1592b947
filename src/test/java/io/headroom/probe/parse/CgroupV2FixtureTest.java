package io.headroom.probe.parse;

import io.headroom.model.CgroupMemory;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.headroom.probe.parse.V2Fixtures.CGROUPFS_ID;
import static io.headroom.probe.parse.V2Fixtures.NOLIMIT_ID;
import static io.headroom.probe.parse.V2Fixtures.RESERVATION_ID;
import static io.headroom.probe.parse.V2Fixtures.SYSTEMD_ID;
import static io.headroom.probe.parse.V2Fixtures.v2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link CgroupSectionParser} on cgroup v2 container-cgroup sections (fixtures/v2, see SOURCES.md). */
class CgroupV2FixtureTest {
    private static final List<String> V2_FILES = List.of("memory.max", "memory.high", "memory.low", "memory.min",
            "memory.current", "memory.peak", "memory.swap.max", "memory.events", "memory.stat", "cpu.max");

    @Test
    void systemdDriverScope() {
        CgroupMemory cg = CgroupSectionParser.parse(v2("container-cgroup-systemd.txt"));
        assertEquals(2, cg.version());
        assertEquals("/sys/fs/cgroup/system.slice/docker-" + SYSTEMD_ID + ".scope", cg.directory());
        assertEquals(4294967296L, cg.hardLimitBytes());
        assertNull(cg.softLimitBytes(), "v2 has no soft limit");
        assertNull(cg.highBytes(), "memory.high max is no limit");
        assertNull(cg.lowBytes(), "memory.low 0 is no protection");
        assertEquals(1849655296L, cg.usageBytes());
        assertEquals(4294967296L, cg.peakBytes());
        assertEquals(131072000L, cg.inactiveFileBytes());
        assertEquals(2L, cg.oomKills());
        assertEquals(200000L, cg.cpuQuotaMicros());
        assertEquals(100000L, cg.cpuPeriodMicros());
        assertEquals(1849655296L - 131072000L, cg.workingSetBytes());

        Map<String, String> raw = cg.rawFiles();
        assertEquals(11, raw.size(), raw.keySet().toString());
        assertEquals("0::/system.slice/docker-" + SYSTEMD_ID + ".scope", raw.get("/proc/4197/cgroup"));
        assertTrue(raw.keySet().containsAll(V2_FILES), raw.keySet().toString());
        assertEquals("4294967296", raw.get("memory.swap.max"));
        assertEquals("0", raw.get("memory.min"));
        assertEquals("200000 100000", raw.get("cpu.max"));
        assertFalse(raw.keySet().stream().anyMatch(k -> k.startsWith("dir ")), "the dir line is not a file");

        Map<String, Long> events = new LinkedHashMap<>();
        events.put("low", 0L);
        events.put("high", 0L);
        events.put("max", 1317L);
        events.put("oom", 2L);
        events.put("oom_kill", 2L);
        events.put("oom_group_kill", 0L);
        assertEquals(events, CgroupSectionParser.statMap(raw.get("memory.events")));

        Map<String, Long> stat = CgroupSectionParser.statMap(raw.get("memory.stat"));
        assertEquals(56, stat.size());
        assertEquals(1602543616L, stat.get("anon"));
        assertEquals(203423744L, stat.get("file"));
        assertEquals(43687936L, stat.get("kernel"));
        assertEquals(72347648L, stat.get("active_file"));
        assertEquals(cg.usageBytes(), stat.get("anon") + stat.get("file") + stat.get("kernel"));
    }

    @Test
    void cgroupfsDriverPath() {
        CgroupMemory cg = CgroupSectionParser.parse(v2("container-cgroup-cgroupfs.txt"));
        assertEquals(2, cg.version());
        assertEquals("/sys/fs/cgroup/docker/" + CGROUPFS_ID, cg.directory());
        assertEquals("0::/docker/" + CGROUPFS_ID, cg.rawFiles().get("/proc/18766/cgroup"));
        assertEquals(2147483648L, cg.hardLimitBytes());
        assertNull(cg.highBytes());
        assertNull(cg.lowBytes());
        assertEquals(523026432L, cg.usageBytes());
        assertEquals(601882624L, cg.peakBytes());
        assertEquals(40108032L, cg.inactiveFileBytes());
        assertEquals(0L, cg.oomKills());
        assertNull(cg.cpuQuotaMicros(), "cpu.max max = no quota");
        assertEquals(100000L, cg.cpuPeriodMicros());
        assertEquals(2147483648L, Numbers.parseLongOrNull(cg.rawFiles().get("memory.swap.max")));
    }

    @Test
    void noMemoryLimitIsNull() {
        CgroupMemory cg = CgroupSectionParser.parse(v2("container-cgroup-nolimit.txt"));
        assertEquals("/sys/fs/cgroup/system.slice/docker-" + NOLIMIT_ID + ".scope", cg.directory());
        assertNull(cg.hardLimitBytes(), "memory.max max");
        assertEquals("max", cg.rawFiles().get("memory.max"));
        assertEquals("max", cg.rawFiles().get("memory.swap.max"));
        assertNull(cg.highBytes());
        assertNull(cg.lowBytes());
        assertEquals(98304000L, cg.usageBytes());
        assertEquals(112721920L, cg.peakBytes());
        assertEquals(10485760L, cg.inactiveFileBytes());
        assertEquals(0L, cg.oomKills());
        assertNull(cg.cpuQuotaMicros());
        assertEquals(100000L, cg.cpuPeriodMicros());
        assertEquals(98304000L - 10485760L, cg.workingSetBytes());
    }

    @Test
    void reservationGivesMemoryLowAndHighIsRead() {
        CgroupMemory cg = CgroupSectionParser.parse(v2("container-cgroup-reservation.txt"));
        assertEquals("/sys/fs/cgroup/system.slice/docker-" + RESERVATION_ID + ".scope", cg.directory());
        assertEquals(4294967296L, cg.hardLimitBytes());
        assertEquals(3758096384L, cg.highBytes());
        assertEquals(2147483648L, cg.lowBytes());
        assertEquals(3650387968L, cg.usageBytes());
        assertEquals(3758149632L, cg.peakBytes());
        assertEquals(104857600L, cg.inactiveFileBytes());
        assertEquals(0L, cg.oomKills());
        assertEquals(5120L, CgroupSectionParser.statMap(cg.rawFiles().get("memory.events")).get("high"));
        assertEquals(150000L, cg.cpuQuotaMicros());
        assertEquals(100000L, cg.cpuPeriodMicros());
    }

    @Test
    void unavailableFileIsAbsentNotZero() {
        String text = v2("container-cgroup-systemd.txt")
                .replace("--- memory.peak\n4294967296\n", "--- memory.peak unavailable\n")
                .replace("--- memory.events\n", "--- memory.events unavailable\n")
                .replaceAll("(?s)(--- memory.events unavailable\n)low 0\nhigh 0\nmax 1317\noom 2\noom_kill 2\noom_group_kill 0\n", "$1");
        CgroupMemory cg = CgroupSectionParser.parse(text);
        assertNull(cg.peakBytes());
        assertNull(cg.oomKills(), "no memory.events: unknown, not 0");
        assertFalse(cg.rawFiles().containsKey("memory.peak"));
        assertFalse(cg.rawFiles().containsKey("memory.events"));
        assertEquals(4294967296L, cg.hardLimitBytes());
        assertEquals(131072000L, cg.inactiveFileBytes());
    }

    @Test
    void sectionWithoutDirectoryIsUnreadable() {
        String onlyProc = "--- /proc/4197/cgroup\n0::/system.slice/docker-" + SYSTEMD_ID + ".scope\n";
        assertThrows(UnreadableSectionException.class, () -> CgroupSectionParser.parse(onlyProc));
        assertThrows(UnreadableSectionException.class,
                () -> CgroupSectionParser.parse("--- dir v3 /sys/fs/cgroup/x\n--- memory.max\n1\n"));
        assertThrows(UnreadableSectionException.class,
                () -> CgroupSectionParser.parse("--- dir v2\n--- memory.max\n1\n"));
    }

    /** The captured v1 section still parses as v1, so the two code paths are told apart by the dir line only. */
    @Test
    void capturedV1SectionForContrast() {
        String probe = V2Fixtures.resourceOrNull("/fixtures/probe/podman-cgroup-v1-hybrid.txt");
        org.junit.jupiter.api.Assumptions.assumeTrue(probe != null, "captured probe fixture absent (being regenerated)");
        ProbeStream stream = ProbeStreamParser.parse(probe, "fixturenonce0001");
        ProbeSection s = stream.all("container-cgroup").stream().filter(ProbeSection::ok).findFirst().orElseThrow();
        CgroupMemory cg = CgroupSectionParser.parse(s.content());
        assertEquals(1, cg.version());
        assertTrue(cg.directory().startsWith("/sys/fs/cgroup/memory/"), cg.directory());
        assertNull(cg.highBytes());
        assertNull(cg.lowBytes());
    }
}
