package io.headroom.cli;

import io.headroom.engine.FixtureRunners;
import io.headroom.engine.ScanEngine;
import io.headroom.engine.Snapshots;
import io.headroom.model.ScanReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code headroom scan --snapshot FILE}: the snapshot the window saves, written atomically with mode 0600; {@code report} opens it. */
class ScanSnapshotCliTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        ScanEngine engine = new ScanEngine(FixtureRunners.of(Map.of("admin@db-7.prod.example", "/fixtures/lab/s0-oom-kill.txt")), "t");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new HeadroomCli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                engine).run(args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void writesTheWindowsSnapshotWithMode0600() throws Exception {
        Path file = dir.resolve("scan.headroom.json");
        Files.writeString(file, "an older, world-readable file");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Run r = run("scan", "--snapshot", file.toString(), "admin@db-7.prod.example");
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("snapshot saved to " + file), r.err());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        ScanReport saved = Snapshots.read(file);
        assertEquals("admin@db-7.prod.example", saved.hosts().get(0).target());
        // the document the window's "Save snapshot" writes (Snapshots.write): format, summary and the full report
        String json = Files.readString(file);
        assertTrue(json.contains("\"format\" : \"headroom-snapshot\"") && json.contains("\"summary\"") && json.contains("\"report\""),
                json.substring(0, 200));
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary file left");
        }
        Path md = dir.resolve("report.md");
        Run report = run("report", file.toString(), "-o", md.toString());
        assertEquals(0, report.exit(), report.err());
        assertTrue(Files.readString(md).contains("admin@db-7.prod.example"));
    }

    @Test
    void redactAppliesToTheSnapshot() throws Exception {
        Path file = dir.resolve("shared.headroom.json");
        Run r = run("scan", "--json", "--redact", "--snapshot", file.toString(), "admin@db-7.prod.example");
        assertTrue(r.err().contains("(redacted)"), r.err());
        String json = Files.readString(file);
        for (String s : new String[]{"db-7", "prod.example", "admin", "10.89."}) {
            assertFalse(json.contains(s), s + " in the snapshot");
        }
        ScanReport saved = Snapshots.read(file);
        assertEquals("user-1@host-1", saved.hosts().get(0).target());
    }

    @Test
    void anUnwritableSnapshotIsAnError() throws Exception {
        Path file = dir.resolve("missing-dir-is-a-file");
        Files.writeString(file, "x");
        Run r = run("scan", "--snapshot", file.resolve("scan.headroom.json").toString(), "admin@db-7.prod.example");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("cannot save the snapshot"), r.err());
        Run missing = run("scan", "--snapshot");
        assertEquals(2, missing.exit());
    }
}
