package io.headroom.probe;

import io.headroom.model.DaskLogEvent;
import io.headroom.model.DeathEvidence;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The on-demand deaths script (issue 20): assembled from the probe's definitions, its arguments made only
 * from an Instant, its real output on this host ({@code fixtures/deaths/v1-deaths-script-output.txt}, podman,
 * cgroup v1, captured after the i20-deaths lab's deaths, nonce {@code abc}) assembled into evidence.
 */
class DeathScriptTest {
    private static String fixture(String name) throws IOException {
        try (InputStream in = DeathScriptTest.class.getResourceAsStream("/fixtures/deaths/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void scriptCarriesTheProbesFramingAndMaskingButNoneOfItsSections() {
        String s = DeathScript.text();
        assertTrue(s.contains("emit() {"));
        assertTrue(s.contains("mask_secrets() {"));
        assertFalse(s.contains("\n" + DeathScript.FIRST_SECTION + "\n"), "the probe's sections do not run");
        assertTrue(s.contains("emit kernel-oom-iso - kernel_oom_iso"));
        assertThrows(IllegalStateException.class, () -> DeathScript.assemble("no sections here", "x"));
    }

    @Test
    void argumentsAreMadeFromAnInstantOnly() {
        assertEquals(List.of("65536", "auto", "1796511600", "2026-12-05T23:00:00Z"),
                DeathScript.arguments("auto", Instant.parse("2026-12-05T23:00:00.750Z")));
        assertThrows(IllegalArgumentException.class, () -> DeathScript.arguments("auto; rm -rf /", Instant.EPOCH));
        assertThrows(IllegalArgumentException.class,
                () -> ProbeRunner.checkedArguments("abc", List.of("2026-12-05T23:00:00Z", "$(id)")));
    }

    @Test
    void realOutputOfThisHostAssemblesIntoEvidence() throws IOException {
        DeathEvidence e = DeathEvidenceAssembler.assemble(fixture("v1-deaths-script-output.txt"), "abc",
                Instant.parse("2026-12-05T23:30:00Z"));
        assertEquals(1, e.kernelKills().size(), "the one kill after --since: " + e.kernelKills());
        assertFalse(e.kernelLogMissing());
        assertTrue(e.engineStates().containsKey("55848ba8d12576bdf422cbd10648cb00a11a7f715361c72845ecc3be0dd7c325"));
        assertTrue(e.daskEvents().stream().anyMatch(x -> x.kind() == DaskLogEvent.Kind.NANNY_RESTART));
        assertTrue(e.daskEvents().stream().anyMatch(x -> x.kind() == DaskLogEvent.Kind.KILLED_BY_SIGNAL && x.number() == 9));
        assertTrue(e.problems().isEmpty(), e.problems().toString());
    }

    @Test
    void logLinesGoThroughTheProbesMasking() throws Exception {
        // the script's masking function on a log line carrying a password, under the system's sh
        Path dir = Files.createTempDirectory("deaths-mask");
        try {
            Path script = dir.resolve("t.sh");
            String probe = ProbeScript.text();
            String defs = probe.substring(0, probe.indexOf("\n" + DeathScript.FIRST_SECTION + "\n") + 1);
            Files.writeString(script, defs + "printf '%s\\n' 'Worker process 9 was killed by signal 9 --password=hunter2' | mask_secrets\n");
            Process p = new ProcessBuilder("/bin/sh", script.toString(), "n", "1000").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(20, TimeUnit.SECONDS));
            assertFalse(out.contains("hunter2"), out);
            assertTrue(out.contains("<masked-by-headroom>"), out);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
    /**
     * Boot units found by content: in a directory holding boot-snippet's memory unit under another name, an operator's
     * own unit exporting the variable, boot-snippet's compose unit (as written and renamed), an unrelated unit and a file
     * whose name holds shell characters, the script's {@code boot_units} names the two defaults, then the renamed memory
     * unit and the operator's unit, and nothing else (a compose unit names the memory unit but is not one).
     */
    @Test
    void bootUnitsRenamedOrTheOperatorsOwnAreFoundByContent() throws Exception {
        Path dir = Files.createTempDirectory("deaths-units");
        try {
            Path units = Files.createDirectory(dir.resolve("system"));
            Files.writeString(units.resolve("dask-mem.service"), io.headroom.compose.BootSnippets.systemdUnit(
                    "/opt/boot/mem.sh", "/srv/dask/.env", 268435456L, List.of()));
            Files.writeString(units.resolve("start-dask.service"),
                    "[Service]\nExecStart=/bin/sh -c 'export AVAILABLE_MEMORY_FOR_DASK=$(awk ...); docker compose up -d'\n");
            Files.writeString(units.resolve(io.headroom.model.BootUnitRun.COMPOSE_UNIT),
                    io.headroom.compose.BootSnippets.composeUnit("/srv/dask", "dask", List.of()));
            Files.writeString(units.resolve("dask-recreate.service"),
                    io.headroom.compose.BootSnippets.composeUnit("/srv/dask", "dask", List.of()));
            Files.writeString(units.resolve("sshd.service"), "[Service]\nExecStart=/usr/sbin/sshd -D\n");
            Files.writeString(units.resolve("x;reboot.service"), "AVAILABLE_MEMORY_FOR_DASK\n");
            String fn = MaskShell.function(DeathScript.text(), "boot_units");
            Process p = new ProcessBuilder("/bin/sh", "-c", fn + "boot_units \"$1\"", "sh", units.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(20, TimeUnit.SECONDS));
            assertEquals(List.of(io.headroom.model.BootUnitRun.MEMORY_UNIT, io.headroom.model.BootUnitRun.COMPOSE_UNIT,
                    "dask-mem.service", "start-dask.service"), out.lines().sorted(java.util.Comparator.comparing(
                    (String l) -> l.startsWith("headroom-") ? 0 : 1)).toList(), out);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
