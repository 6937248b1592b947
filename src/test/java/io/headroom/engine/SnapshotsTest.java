package io.headroom.engine;

import io.headroom.model.ScanReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotsTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsTheWholeReport() throws Exception {
        ScanEngine engine = new ScanEngine(FixtureRunners.of(Map.of("vm", "/fixtures/probe/podman-cgroup-v1-hybrid.txt")), "t");
        ScanReport report = engine.scan(List.of("vm", "ghost"), ScanOptions.DEFAULTS, ScanListener.NONE);
        Path f = dir.resolve("a.headroom.json");
        Snapshots.write(report, f);
        ScanReport back = Snapshots.read(f);
        assertEquals(report, back, "records compare by value: every fact and finding survives");
        assertTrue(Files.readString(f).contains("\"summary\""));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void refusesWhatIsNotASnapshot() throws Exception {
        Path f = dir.resolve("x.json");
        Files.writeString(f, "{\"hosts\":[]}");
        IOException e = assertThrows(IOException.class, () -> Snapshots.read(f));
        assertTrue(e.getMessage().contains("not a Headroom snapshot"), e.getMessage());
        Files.writeString(f, "{\"format\":\"headroom-snapshot\",\"formatVersion\":99}");
        e = assertThrows(IOException.class, () -> Snapshots.read(f));
        assertTrue(e.getMessage().contains("version 99"), e.getMessage());
        Files.writeString(f, "garbage");
        e = assertThrows(IOException.class, () -> Snapshots.read(f));
        assertTrue(e.getMessage().contains("not JSON"), e.getMessage());
    }
}
