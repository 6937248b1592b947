package io.headroom.compose;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The editor never writes a file that Compose v2 refuses and refuses, with the line, an input that Compose v2
 * refuses: "can't set distinct values on 'mem_limit' and 'deploy.resources.limits.memory': invalid compose
 * project" (compose-go; seen with docker compose 2.26.1 on the lab's v2 VM, where ComposeV2RulesV2IT runs the
 * same cases through {@code docker compose config}).
 */
class ComposeV2RulesTest {
    private static final java.util.List<ComposeV2Cases.Case> CASES = ComposeV2Cases.ALL;

    @ParameterizedTest
    @FieldSource("CASES")
    void editedOrRefusedAtTheLine(ComposeV2Cases.Case c) {
        EditResult r = c.edit();
        if (c.refusedLine() == 0) {
            EditResult.Edited e = assertInstanceOf(EditResult.Edited.class, r, r::toString);
            Map<String, Object> worker = worker(e.files().get(0).after());
            assertEquals(String.valueOf(ComposeV2Cases.LIMIT), String.valueOf(worker.get("mem_limit")));
            assertEquals(String.valueOf(ComposeV2Cases.LIMIT), String.valueOf(at(worker, "deploy", "resources", "limits", "memory")),
                    "the limit is also where Compose v2 compares it");
        } else {
            EditResult.Refused refused = assertInstanceOf(EditResult.Refused.class, r, r::toString);
            assertEquals(c.refusedLine(), refused.line(), refused.toString());
        }
    }

    @Test
    void aLimitsBlockWithOnlyCpusGetsTheMemoryAsAMinimalEdit() {
        ComposeV2Cases.Case c = ComposeV2Cases.ALL.get(0);
        EditResult.Edited e = assertInstanceOf(EditResult.Edited.class, c.edit());
        assertEquals(c.text().replace("    image: daskdev/dask\n    deploy:", "    image: daskdev/dask\n    mem_limit: 12884901888\n    deploy:")
                .replace("          cpus: \"1\"\n", "          cpus: \"1\"\n          memory: \"12884901888\"\n"), e.files().get(0).after());
        assertTrue(e.notes().stream().anyMatch(n -> n.contains("no memory")), e.notes().toString());
        assertTrue(e.files().get(0).changes().stream().anyMatch(k -> k.key().equals("deploy.resources.limits.memory")),
                e.files().get(0).changes().toString());
    }

    @Test
    void aFlowLimitsMappingGetsTheMemoryInsideIt() {
        EditResult.Edited e = assertInstanceOf(EditResult.Edited.class, ComposeV2Cases.ALL.get(1).edit());
        assertTrue(e.files().get(0).after().contains("limits: {cpus: \"1\", memory: \"12884901888\"}"), e.files().get(0).after());
    }

    @Test
    void theRefusalNamesBothPlacesAndComposesOwnWords() {
        String distinct = ComposeV2Cases.ALL.get(3).edit().toString();
        assertTrue(distinct.contains("mem_limit is 1g but deploy.resources.limits.memory is 2g (line 8)"), distinct);
        assertTrue(distinct.contains("can't set distinct values on 'mem_limit' and 'deploy.resources.limits.memory'"), distinct);
        String cpusOnly = ComposeV2Cases.ALL.get(4).edit().toString();
        assertTrue(cpusOnly.contains("deploy.resources.limits at line 7 has no memory, which counts as 0"), cpusOnly);
        String reservation = ComposeV2Cases.ALL.get(5).edit().toString();
        assertTrue(reservation.contains("mem_reservation is 512m but deploy.resources.reservations at line 7 has no memory"),
                reservation);
        String shared = ComposeV2Cases.ALL.get(6).edit().toString();
        assertTrue(shared.contains("shared with 'scheduler'") || shared.contains("scheduler"), shared);
    }

    @Test
    void interpolatedValuesAreLeftToComposeItself() {
        String text = "services:\n  worker:\n    image: x\n    mem_limit: ${A:-1g}\n    deploy:\n      resources:\n"
                + "        limits:\n          memory: 2g\n";
        EditResult r = ComposeEditor.edit(EditRequest.of("c.yml", text, java.util.Set.of("worker"), MemoryValue.bytes(ComposeV2Cases.LIMIT)));
        assertInstanceOf(EditResult.Edited.class, r, r::toString);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> worker(String text) {
        Map<String, Object> doc = Verifier.load(text, "c.yml");
        return (Map<String, Object>) ((Map<String, Object>) doc.get("services")).get("worker");
    }

    private static Object at(Map<String, Object> m, String... path) {
        Object cur = m;
        for (String k : path) {
            cur = cur instanceof Map<?, ?> cm ? cm.get(k) : null;
        }
        return cur;
    }
}
