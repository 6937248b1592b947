package io.headroom.compose;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the generated boot script with /bin/sh against a temporary project directory. */
class BootSnippetsTest {
    private static final long RESERVE = 256L << 20;

    private static long memAvailableBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemAvailable:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no MemAvailable");
    }

    private static long pageSize() {
        ComposeCli.Result r = ComposeCli.run(Path.of("/"), List.of("getconf", "PAGESIZE"));
        return r.exit() == 0 ? Long.parseLong(r.out().strip()) : 4096;
    }

    private static ComposeCli.Result sh(Path script, String... args) {
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", script.toString()));
        cmd.addAll(List.of(args));
        return ComposeCli.run(script.getParent(), cmd);
    }

    private static void requireLinux() {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/meminfo")) && Files.isExecutable(Path.of("/bin/sh")),
                "needs /proc/meminfo and /bin/sh");
    }

    @Test
    void writesMemAvailableInPlainBytesKeepingOtherLines(@TempDir Path dir) throws IOException {
        requireLinux();
        Path env = dir.resolve(".env");
        Files.writeString(env, "# cluster\nCOMPOSE_PROJECT_NAME=dask\nAVAILABLE_MEMORY_FOR_DASK=0\nTAIL=1\n");
        Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rw-r-----"));
        Path script = dir.resolve("set-memory.sh");
        Files.writeString(script, BootSnippets.shScript(env.toString(), RESERVE));
        ComposeCli.Result r = sh(script);
        long expected = memAvailableBytes() - RESERVE;
        assertEquals(0, r.exit(), r.err());
        List<String> lines = Files.readAllLines(env);
        assertEquals("# cluster", lines.get(0));
        assertEquals("COMPOSE_PROJECT_NAME=dask", lines.get(1));
        assertEquals("TAIL=1", lines.get(3));
        assertEquals(4, lines.size());
        String value = lines.get(2).substring("AVAILABLE_MEMORY_FOR_DASK=".length());
        assertTrue(value.matches("[0-9]+"), "plain digits, no exponent: " + value);
        assertEquals(expected, Long.parseLong(value), expected * 0.05);
        assertEquals(0, Long.parseLong(value) % pageSize(), "whole pages, as the kernel rounds a cgroup limit: " + value);
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_READ),
                Files.getPosixFilePermissions(env), "mode kept");
        try (var s = Files.list(dir)) {
            assertEquals(2, s.count(), "no temporary file left");
        }
    }

    @Test
    void createsTheFileAndHonoursArgumentsAndQuotes(@TempDir Path dir) throws IOException {
        requireLinux();
        Path script = dir.resolve("s.sh");
        Files.writeString(script, BootSnippets.shScript("/nonexistent/.env", 0));
        Path env = dir.resolve("it's here.env");
        ComposeCli.Result r = sh(script, env.toString(), "0");
        assertEquals(0, r.exit(), r.err());
        String text = Files.readString(env);
        assertTrue(text.matches("AVAILABLE_MEMORY_FOR_DASK=[0-9]+\n"), text);
        assertEquals(memAvailableBytes(), Long.parseLong(text.strip().split("=")[1]), memAvailableBytes() * 0.05);

        Files.writeString(env, "export AVAILABLE_MEMORY_FOR_DASK=\"1\"\r\nA=2\r\n");
        assertEquals(0, sh(script, env.toString(), "0").exit());
        String crlf = Files.readString(env);
        assertTrue(crlf.matches("export AVAILABLE_MEMORY_FOR_DASK=\"[0-9]+\"\r\nA=2\r\n"), crlf);
    }

    @Test
    void aReserveAboveMemAvailableLeavesTheFileAlone(@TempDir Path dir) throws IOException {
        requireLinux();
        Path env = dir.resolve(".env");
        Files.writeString(env, "AVAILABLE_MEMORY_FOR_DASK=42\n");
        Path script = dir.resolve("s.sh");
        Files.writeString(script, BootSnippets.shScript(env.toString(), Long.MAX_VALUE / 2));
        ComposeCli.Result r = sh(script);
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("not positive"), r.err());
        assertEquals("AVAILABLE_MEMORY_FOR_DASK=42\n", Files.readString(env, StandardCharsets.UTF_8));
        assertNotEquals(0, sh(script, env.toString(), "12x").exit());
    }

    @Test
    void theScriptIsPosixShell(@TempDir Path dir) throws IOException {
        requireLinux();
        Path script = dir.resolve("s.sh");
        Files.writeString(script, BootSnippets.shScript("/srv/dask/.env", RESERVE));
        assertEquals(0, ComposeCli.run(dir, List.of("/bin/sh", "-n", script.toString())).exit());
        for (String shell : List.of("/usr/bin/dash", "/bin/dash", "/bin/bash")) {
            if (Files.isExecutable(Path.of(shell))) {
                assertEquals(0, ComposeCli.run(dir, List.of(shell, "-n", script.toString())).exit(), shell);
            }
        }
    }

    @Test
    void systemdAcceptsTheUnit(@TempDir Path dir) throws IOException {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        Assumptions.assumeTrue(Files.isExecutable(analyze), "systemd-analyze not installed");
        Path unit = dir.resolve(BootSnippets.DEFAULT_UNIT_NAME);
        Files.writeString(unit, BootSnippets.systemdUnit(BootSnippets.DEFAULT_SCRIPT_PATH, "/srv/dask/.env", RESERVE, List.of("docker.service")));
        ComposeCli.Result r = ComposeCli.run(dir, List.of(analyze.toString(), "verify", "--man=no", unit.toString()));
        // verify exits 0 even for bad lines: it reports them on stderr, naming the file
        assertTrue(r.err().lines().noneMatch(l -> l.contains(unit.toString())), r.err());
    }

    @Test
    void theUnitRunsTheScriptBeforeDocker() {
        String unit = BootSnippets.systemdUnit(BootSnippets.DEFAULT_SCRIPT_PATH, "/srv/my dask/.env", RESERVE,
                List.of("docker.service", "dask-compose.service"));
        assertTrue(unit.contains("Type=oneshot"));
        assertTrue(unit.contains("Before=docker.service dask-compose.service"));
        assertTrue(unit.contains("ExecStart=/bin/sh \"" + BootSnippets.DEFAULT_SCRIPT_PATH + "\" \"/srv/my dask/.env\" " + RESERVE), unit);
        assertTrue(unit.contains("WantedBy=multi-user.target docker.service"));
        assertTrue(unit.contains("RemainAfterExit=yes"));
    }

    @Test
    void theComposeUnitRecreatesTheProjectAfterDocker(@TempDir Path dir) throws IOException {
        String unit = BootSnippets.composeUnit("/srv/my dask", "dask", List.of("compose.yaml", "it's.yml"));
        assertTrue(unit.contains("After=docker.service " + BootSnippets.DEFAULT_UNIT_NAME), unit);
        assertTrue(unit.contains("Requires=docker.service"), unit);
        assertTrue(unit.contains("WorkingDirectory=/srv/my dask"), unit);
        assertTrue(unit.contains("exec docker compose -p 'dask' -f 'compose.yaml' -f 'it'\\\\''s.yml' up -d --no-build;"), unit);
        assertTrue(unit.contains("else exec docker-compose -p 'dask'"), unit);
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        if (Files.isExecutable(analyze)) {
            Path file = dir.resolve(BootSnippets.COMPOSE_UNIT_NAME);
            Files.writeString(file, unit);
            ComposeCli.Result r = ComposeCli.run(dir, List.of(analyze.toString(), "verify", "--man=no", file.toString()));
            assertTrue(r.err().lines().noneMatch(l -> l.contains(file.toString())), r.err());
        }
    }

    @Test
    void theComposeUnitRefusesWhatAUnitFileCannotHold() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> BootSnippets.composeUnit("/srv/d\nExecStartPre=/bin/evil", "dask", List.of()));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> BootSnippets.composeUnit("relative/dir", "dask", List.of()));
    }
}
