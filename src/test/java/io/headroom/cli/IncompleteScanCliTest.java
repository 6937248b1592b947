package io.headroom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.engine.FixtureRunners;
import io.headroom.engine.ScanEngine;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A VM whose docker CLI does not answer while the kernel log holds OOM kills (fixtures/probe/docker-not-answering.txt:
 * the lab's s0 capture with docker-ps unavailable and the container sections gone) is never reported healthy:
 * status "incomplete", exit 1, and {@code fix} says it could not see the containers.
 */
class IncompleteScanCliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        HeadroomCli cli = new HeadroomCli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ScanEngine(FixtureRunners.of(Map.of("vm", "/fixtures/probe/docker-not-answering.txt")), "t"));
        return cli.run(args);
    }

    @Test
    void theTableSaysIncompleteAndWhy() {
        assertEquals(ExitCode.FINDINGS, run("scan", "vm"));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("vm  INCOMPLETE  (host "), text);
        assertFalse(text.contains("No findings"), text);
        assertTrue(text.contains("WARNING SCAN_INCOMPLETE: The containers on this VM could not be listed (docker CLI did not answer:"
                + " timed out after 20 s)"), text);
        assertTrue(text.contains("OOM kills in the kernel log could not be tied to a container"), text);
        assertTrue(text.contains("note: the container list (docker ps): could not be read:"), text);
        assertFalse(text.contains("docker-ps"), "no internal section names: " + text);
    }

    @Test
    void theJsonSaysIncomplete() throws Exception {
        assertEquals(ExitCode.FINDINGS, run("scan", "--json", "vm"));
        JsonNode host = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8)).get("hosts").get(0);
        assertEquals("incomplete", host.get("status").asText());
        assertFalse(host.get("complete").asBoolean());
        assertEquals("SCAN_INCOMPLETE", host.get("findings").get(0).get("code").asText());
    }

    @Test
    void fixSaysItCouldNotSeeTheContainers() {
        assertEquals(ExitCode.FINDINGS, run("fix", "vm"));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains("headroom: vm: cannot plan a fix: The containers on this VM could not be listed"), e);
        String o = out.toString(StandardCharsets.UTF_8);
        assertFalse(o.contains("nothing to fix"), o);
        assertTrue(o.contains("# nothing planned: 1 target(s) could not be seen whole"), o);
    }
}
