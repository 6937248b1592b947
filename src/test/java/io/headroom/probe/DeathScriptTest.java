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
}
