package io.headroom.compose;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where the edit lands when Compose v2's reading differs from YAML 1.1's (the corpus checks the rendering). */
class ComposeV2ReadingTest {
    private static final MemoryValue LIT = MemoryValue.bytes(3L << 30);

    private static String corpus(String file) {
        return Fixtures.read("compose-v2-corpus/" + file);
    }

    @Test
    void aServiceNamedOnIsEditedAsTheStringOn() {
        String text = "services:\n  on:\n    image: x\n    mem_limit: 1g\n";
        EditResult.Edited e = assertInstanceOf(EditResult.Edited.class,
                ComposeEditor.edit(EditRequest.of("c.yml", text, Set.of("on"), LIT)));
        assertEquals(text.replace("1g", "3221225472"), e.files().get(0).after());
    }

    @Test
    void theEditOfAnIncludedServiceLandsInTheIncludedFile() {
        EditResult r = ComposeEditor.edit(new EditRequest(List.of(new ComposeSource("compose.yaml", corpus("include-service/compose.yaml"))),
                Set.of("worker"), LIT, ReservationPolicy.REMOVE,
                List.of(new ComposeSource("dask/workers.yaml", corpus("include-service/dask/workers.yaml")))));
        EditResult.Edited e = assertInstanceOf(EditResult.Edited.class, r, r::toString);
        assertEquals(List.of("dask/workers.yaml"), e.changedFiles().stream().map(FileEdit::path).toList());
        assertTrue(e.changedFiles().get(0).after().contains("    mem_limit: 3221225472\n"), e.diff());
    }

    @Test
    void aResetReservationStaysAndTheBaseReservationGoes() {
        EditResult r = ComposeEditor.edit(new EditRequest(List.of(
                new ComposeSource("compose.yaml", corpus("reset-reservation/compose.yaml")),
                new ComposeSource("compose.override.yaml", corpus("reset-reservation/compose.override.yaml"))),
                Set.of("worker"), LIT, ReservationPolicy.REMOVE));
        EditResult.Edited e = assertInstanceOf(EditResult.Edited.class, r, r::toString);
        assertEquals(List.of("compose.yaml"), e.changedFiles().stream().map(FileEdit::path).toList());
        assertTrue(!e.files().get(0).after().contains("mem_reservation"), e.diff());
    }

    @Test
    void anInheritedReservationIsOverriddenInTheExtendingService() {
        EditResult r = ComposeEditor.edit(EditRequest.of("compose.yaml", corpus("extends-same-file/compose.yaml"), Set.of("worker"), LIT));
        EditResult.Edited e = assertInstanceOf(EditResult.Edited.class, r, r::toString);
        String after = e.files().get(0).after();
        assertTrue(after.contains("    extends: worker-base\n    mem_limit: 3221225472\n    mem_reservation: 3221225472\n"), after);
        assertTrue(after.contains("    mem_limit: 4g\n    mem_reservation: 2g\n"), "the base is left as it is: " + after);
    }

    @Test
    void envModeChecksMemswapWithTheValueForDotEnv() {
        String text = "services:\n  worker:\n    image: a\n    mem_limit: 1g\n    memswap_limit: 2g\n";
        EditResult.Refused r = assertInstanceOf(EditResult.Refused.class,
                ComposeEditor.edit(EditRequest.of("c.yml", text, Set.of("worker"), MemoryValue.env(3L << 30))));
        assertEquals(5, r.line());
        assertTrue(r.reason().contains("the value env mode writes to .env"), r.reason());
        assertInstanceOf(EditResult.Edited.class, ComposeEditor.edit(EditRequest.of("c.yml", text, Set.of("worker"), MemoryValue.env(1L << 30))));
    }

    @Test
    void invalidYamlIsRefusedInPlainWords() {
        EditResult.Refused r = assertInstanceOf(EditResult.Refused.class,
                ComposeEditor.edit(EditRequest.of("c.yml", "services:\n  worker:\n    image: [a\n", Set.of("worker"), LIT)));
        ComposeV2CorpusTest.assertPlainWords(r);
        assertTrue(r.reason().contains("docker compose config"), r.reason());
    }

    @Test
    void twoKeysInsertedAtOnePlaceGoDeepestFirst() {
        // found by the corpus (override-deploy-cpus): the service's first key is a deploy block whose limits end with it
        String text = "services:\n  worker:\n    deploy:\n      resources:\n        limits:\n          cpus: \"2\"\n    image: x\n";
        EditResult.Edited e = assertInstanceOf(EditResult.Edited.class,
                ComposeEditor.edit(EditRequest.of("c.yml", text, Set.of("worker"), LIT)));
        assertEquals(text.replace("cpus: \"2\"\n", "cpus: \"2\"\n          memory: \"3221225472\"\n    mem_limit: 3221225472\n"),
                e.files().get(0).after());
    }
}
