package io.headroom.probe.parse;

import io.headroom.model.BootUnitRun;
import io.headroom.model.DeathEvidence;
import io.headroom.model.EngineEvent;
import io.headroom.probe.DeathEvidenceAssembler;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deaths script's boot-unit and engine-event sections (issue 20). {@code v2-deaths-script-output-loaded-vm.txt} is
 * the script's real output on the lab's v2 VM (systemd 257, cgroup v2, Docker 26; emulated and loaded by two Dask
 * containers, 2026-12-06, nonce {@code abc}) after {@code headroom boot-snippet --unit} was installed and started:
 * the boot unit ran and wrote 2900701184 bytes, the compose unit is not installed, and the docker CLI did not answer
 * within the probe's 15 s (the deaths script now waits 60 s).
 */
class DeathSourcesParserTest {
    static String fixture(String name) throws IOException {
        try (InputStream in = DeathSourcesParserTest.class.getResourceAsStream("/fixtures/deaths/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void bootUnitThatRanAndOneNotInstalledOnTheV2Vm() throws IOException {
        DeathEvidence e = DeathEvidenceAssembler.assemble(fixture("v2-deaths-script-output-loaded-vm.txt"), "abc",
                Instant.parse("2026-12-06T03:00:00Z"));
        assertEquals(2, e.bootUnits().size());
        BootUnitRun memory = e.bootUnits().get(0);
        assertEquals("headroom-dask-memory.service", memory.unit());
        assertTrue(memory.installed());
        assertTrue(memory.succeeded());
        assertEquals(Instant.parse("2026-12-06T03:11:35Z"), memory.startedAt());
        assertEquals(2900701184L, memory.valueBytes());
        assertEquals("/tmp/i20e-boot/.env", memory.envFile());
        assertEquals(3, memory.lines().size());
        assertEquals("headroom-dask-memory.service ran at 2026-12-06T03:11:35Z, AVAILABLE_MEMORY_FOR_DASK=2900701184 (2.70 GiB)"
                + " written to /tmp/i20e-boot/.env", memory.summary());
        BootUnitRun compose = e.bootUnits().get(1);
        assertFalse(compose.installed());
        assertNull(compose.startedAt());
        assertNull(compose.exitStatus(), "systemd's ExecMainStatus=0 of a unit that never ran is no exit status");
        assertEquals("headroom-dask-compose.service is not installed (LoadState=not-found)", compose.summary());
        assertTrue(e.problems().contains("engine: docker CLI did not answer:"), e.problems().toString());
    }

    @Test
    void oldSystemdLocalTimeFallsBackToTheJournalLine() {
        BootUnitRun u = BootUnitParser.parse("headroom-dask-memory.service", """
                LoadState=loaded
                ActiveState=failed
                Result=exit-code
                ExecMainStatus=1
                ExecMainStartTimestamp=Sun 2026-12-06 04:11:35 CET
                --- journal
                2026-12-06T04:11:35+0100 vm sh[77]: headroom: MemAvailable minus the reserve is not positive (-5); /x/.env left unchanged
                """);
        assertNull(u.startedAt(), "no 'written' line and a local-time timestamp: the time is not guessed");
        assertNull(u.valueBytes());
        u = BootUnitParser.parse("u", "LoadState=loaded\nExecMainStatus=0\nExecMainStartTimestamp=Sun 2026-12-06 04:11:35 CET\n--- journal\n"
                + "2026-12-06T04:11:36+0100 vm sh[77]: headroom: AVAILABLE_MEMORY_FOR_DASK=1073741824 written to /opt/dask/.env\n");
        assertEquals(Instant.parse("2026-12-06T03:11:36Z"), u.startedAt());
        assertEquals(1073741824L, u.valueBytes());
    }

    @Test
    void engineEventsOfDockerAndPodmanAndNoise() {
        String id = "4ae0a21ea0716fb8c73f49ec3414d218cfc2bb5c1356fbb60db4d1e6891d395c";
        List<EngineEvent> ev = EngineEventParser.parse(String.join("\n",
                "1796526990145735181 die " + id + " 137 i20e-it-fast",
                "1796526980000000000 oom " + id + " <no value> i20e-it-fast",
                "1796526970 die " + id + "  podman-name",
                "garbage \u001b[31m line",
                "1796526990145735181 die not-an-id 1 x"));
        assertEquals(3, ev.size());
        assertEquals(new EngineEvent(Instant.ofEpochSecond(1796526970L), "die", id, null, "podman-name"), ev.get(0));
        assertEquals(new EngineEvent(Instant.ofEpochSecond(1796526980L), "oom", id, null, "i20e-it-fast"), ev.get(1));
        assertEquals(new EngineEvent(Instant.ofEpochSecond(1796526990L, 145735181L), "die", id, 137, "i20e-it-fast"), ev.get(2));
    }
}
