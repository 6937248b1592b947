package io.headroom.engine.fix;

import io.headroom.engine.FixtureRunners;
import io.headroom.engine.ScanEngine;
import io.headroom.engine.ScanOptions;
import io.headroom.model.HostReport;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fix plans from a real lab capture: the no-limit scenario's compose project gets a mem_limit. */
class FixPlannerTest {
    private static HostReport scan(String fixture) throws Exception {
        return new ScanEngine(FixtureRunners.of(Map.of("vm", fixture)), "t").scanOne("vm", ScanOptions.DEFAULTS);
    }

    @Test
    void literalModeWritesTheRecommendedBytes() throws Exception {
        HostReport r = scan("/fixtures/lab/s1-no-limit.txt");
        FixPlan p = FixPlanner.plan(r, false).stream().filter(x -> x.project().equals("hr-s1")).findFirst().orElseThrow();
        assertNull(p.refusal(), p.refusal());
        assertEquals(List.of("worker"), p.services());
        assertEquals(1, p.edits().size());
        String after = p.edits().get(0).after();
        assertTrue(after.contains("mem_limit: " + p.bytes()), after);
        assertTrue(p.diff().contains("+") && p.diff().contains("mem_limit: " + p.bytes()), p.diff());
        assertEquals(r.facts().composeFiles().get(p.edits().get(0).path()).sha256(), p.shaBefore().get(0));
        // the minimal edit: every line of the original is still there
        String before = p.edits().get(0).before();
        for (String line : before.split("\n")) {
            assertTrue(after.contains(line), "lost line: " + line);
        }
    }

    @Test
    void envModeUsesTheSeedPatternAndTheEnvFile() throws Exception {
        HostReport r = scan("/fixtures/lab/s1-no-limit.txt");
        FixPlan p = FixPlanner.plan(r, true).stream().filter(x -> x.project().equals("hr-s1")).findFirst().orElseThrow();
        assertTrue(p.edits().get(0).after().contains("${AVAILABLE_MEMORY_FOR_DASK:-0}"), p.edits().get(0).after());
        assertTrue(p.diff().contains("+AVAILABLE_MEMORY_FOR_DASK=" + p.bytes()), p.diff());
    }

    @Test
    void aHealthyProjectNeedsNoPlan() throws Exception {
        HostReport r = scan("/fixtures/lab/s2-seed-env.txt");
        assertTrue(FixPlanner.plan(r, false).stream().noneMatch(x -> x.project().equals("hr-s2")
                && r.findings().stream().anyMatch(f -> f.severity() != io.headroom.model.Severity.INFO)));
    }
}
