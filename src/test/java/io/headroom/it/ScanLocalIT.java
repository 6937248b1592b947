package io.headroom.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.probe.parse.MemInfoParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code headroom scan local --json} against /proc/meminfo read at the same moment. */
@EnabledOnOs(OS.LINUX)
class ScanLocalIT {
    @Test
    void memAvailableMatchesProcMeminfo() throws Exception {
        var before = MemInfoParser.parse(Files.readString(Path.of("/proc/meminfo")));
        Lab.Result r = Lab.headroom("scan", "local", "--json");
        var after = MemInfoParser.parse(Files.readString(Path.of("/proc/meminfo")));
        assertTrue(r.exit() == 0 || r.exit() == 1, "exit " + r.exit() + ": " + r.err());
        JsonNode host = new ObjectMapper().readTree(r.out()).get("hosts").get(0);
        assertEquals("local", host.get("target").asText());
        assertEquals(before.memTotalBytes(), host.get("memTotalBytes").asLong());
        long reported = host.get("memAvailableBytes").asLong();
        long lo = Math.min(before.memAvailableBytes(), after.memAvailableBytes());
        long hi = Math.max(before.memAvailableBytes(), after.memAvailableBytes());
        assertTrue(reported >= lo * 0.95 && reported <= hi * 1.05,
                "memAvailableBytes " + reported + " not within 5% of /proc/meminfo [" + lo + ", " + hi + "]");
        assertTrue(host.get("budgetBytes").asLong() > 0);
        assertTrue(host.get("errors").isArray());
        assertTrue(host.get("findings").isArray());
    }

    @Test
    void versionAndUsageExitCodes() {
        Lab.Result v = Lab.headroom("--version");
        assertEquals(0, v.exit());
        assertTrue(v.out().startsWith("headroom "), v.out());
        Lab.Result bad = Lab.headroom("scan", "--bogus");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("unknown option '--bogus'"), bad.err());
    }

    @Test
    void anUnreachableTargetExitsWithThree() {
        Lab.Result r = Lab.headroom("scan", "--json", "local", "no-such-host.invalid");
        assertEquals(3, r.exit(), r.err());
        assertTrue(r.err().contains("no-such-host.invalid"), r.err());
    }
}
