package io.headroom.cli;

import io.headroom.engine.FixtureRunners;
import io.headroom.engine.ScanEngine;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScanRedactCliTest {
    @Test
    void scanJsonRedactHidesTargetsAddressesAndUsers() {
        ScanEngine engine = new ScanEngine(FixtureRunners.of(Map.of(
                "admin@db-7.prod.example", "/fixtures/lab/s0-oom-kill.txt")), "t");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        new HeadroomCli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                engine).run(new String[]{"scan", "--json", "--redact", "admin@db-7.prod.example", "10.1.2.3"});
        String json = out.toString(StandardCharsets.UTF_8);
        String errors = err.toString(StandardCharsets.UTF_8);
        assertTrue(json.contains("\"user-1@host-1\""), json);
        assertTrue(json.contains("ip-"), "Dask addresses of the capture are pseudonyms");
        for (String s : new String[]{"db-7", "prod.example", "admin", "10.89.", "10.1.2.3"}) {
            assertFalse(json.contains(s), s + " in stdout");
            assertFalse(errors.contains(s), s + " in stderr: " + errors);
        }
        assertTrue(errors.contains("ip-"), "the unreachable target is reported, by its pseudonym: " + errors);
    }
}
