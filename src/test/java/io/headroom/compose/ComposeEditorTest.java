package io.headroom.compose;

import io.headroom.model.ComposeFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComposeEditorTest {
    private static final MemoryValue ENV = MemoryValue.env();
    private static final MemoryValue LIT = MemoryValue.bytes(12_884_901_888L);

    private static EditResult.Edited edit(String fixture, MemoryValue v, ReservationPolicy p, String... targets) {
        EditResult r = ComposeEditor.edit(new EditRequest(List.of(Fixtures.source(fixture)), Set.of(targets), v, p));
        return assertInstanceOf(EditResult.Edited.class, r, () -> "refused: " + r);
    }

    private static EditResult.Refused refuse(String fixture, String... targets) {
        EditResult r = ComposeEditor.edit(new EditRequest(List.of(Fixtures.source(fixture)), Set.of(targets), ENV, ReservationPolicy.REMOVE));
        return assertInstanceOf(EditResult.Refused.class, r, () -> "edited: " + r);
    }

    private static String only(EditResult.Edited e) {
        assertEquals(1, e.files().size());
        return e.files().get(0).after();
    }

    /** The original with one exact substring replaced (asserting it occurs once). */
    private static String with(String text, String from, String to) {
        assertEquals(text.indexOf(from), text.lastIndexOf(from), "ambiguous: " + from);
        assertTrue(text.contains(from), from);
        return text.replace(from, to);
    }

    // ------------------------------------------------------------------ anchors and merge keys

    @Test
    void aMergedValueSharedWithAnotherServiceIsOverriddenInTheServiceNotInTheAnchor() {
        String before = Fixtures.read("hard/anchors-merge.yml");
        EditResult.Edited e = edit("hard/anchors-merge.yml", ENV, ReservationPolicy.REMOVE, "worker-a");
        String expected = with(before, "    <<: *worker\n    hostname: worker-a\n",
                "    <<: *worker\n    mem_limit: ${AVAILABLE_MEMORY_FOR_DASK:-0}\n    hostname: worker-a\n");
        assertEquals(expected, only(e));
        KeyChange c = e.files().get(0).changes().get(0);
        assertEquals(KeyChange.Action.INSERTED, c.action());
        assertTrue(e.notes().get(0).contains("worker-b"), e.notes().toString());
    }

    @Test
    void theAnchorIsEditedWhenEveryUserOfItIsTargeted() {
        String before = Fixtures.read("hard/anchors-merge.yml");
        EditResult.Edited e = edit("hard/anchors-merge.yml", LIT, ReservationPolicy.REMOVE, "worker-a", "worker-b");
        assertEquals(with(before, "  mem_limit: 4g\n", "  mem_limit: 12884901888\n"), only(e));
        assertEquals(KeyChange.Action.REPLACED_IN_ANCHOR, e.files().get(0).changes().get(0).action());
    }

    @Test
    void anExplicitOverrideNextToAMergeIsEditedInPlace() {
        String before = Fixtures.read("hard/anchors-merge.yml");
        EditResult.Edited e = edit("hard/anchors-merge.yml", LIT, ReservationPolicy.REMOVE, "worker-big");
        assertEquals(with(before, "    mem_limit: 8g\n", "    mem_limit: 12884901888\n"), only(e));
    }

    @Test
    void anAliasValueIsReplacedWithoutTouchingItsAnchor() {
        String text = "x-mem: &mem 4g\nservices:\n  worker:\n    image: daskdev/dask\n    mem_limit: *mem\n  other:\n    image: redis\n    mem_limit: *mem\n";
        EditResult r = ComposeEditor.edit(EditRequest.of("c.yml", text, Set.of("worker"), LIT));
        EditResult.Edited e = assertInstanceOf(EditResult.Edited.class, r, r::toString);
        assertEquals(text.replace("    mem_limit: *mem\n  other", "    mem_limit: 12884901888\n  other"), only(e));
    }

    @Test
    void aWholeServiceAliasIsEditedWhenBothNamesAreTargeted() {
        String before = Fixtures.read("hard/refuse/alias-service.yml");
        EditResult.Edited e = edit("hard/refuse/alias-service.yml", LIT, ReservationPolicy.REMOVE, "worker", "worker-copy");
        assertEquals(with(before, "    image: daskdev/dask\n", "    image: daskdev/dask\n    mem_limit: 12884901888\n"), only(e));
    }

    // ------------------------------------------------------------------ comments, quotes, block scalars

    @Test
    void quotesCommentsAndBlockScalarsStay() {
        String before = Fixtures.read("hard/comments-quoted.yml");
        EditResult.Edited e = edit("hard/comments-quoted.yml", ENV, ReservationPolicy.REMOVE, "worker", "worker2");
        String expected = with(before, "    mem_limit: \"2g\"   # quoted, keep quotes\n    mem_reservation: '1g' # soft limit shrinks Dask's budget\n",
                "    mem_limit: \"${AVAILABLE_MEMORY_FOR_DASK:-0}\"   # quoted, keep quotes\n");
        expected = with(expected, "    mem_limit: '3g'\n", "    mem_limit: '${AVAILABLE_MEMORY_FOR_DASK:-0}'\n");
        assertEquals(expected, only(e));
    }

    @Test
    void insertionGoesAfterAFirstKeyWhoseValueIsABlockScalar() {
        String text = "services:\n  worker:\n    command: |\n      dask-worker tcp://scheduler:8786\n      # still the script\n\n    # about the image\n    image: daskdev/dask\n";
        EditResult.Edited e = assertInstanceOf(EditResult.Edited.class,
                ComposeEditor.edit(EditRequest.of("c.yml", text, Set.of("worker"), LIT)));
        assertEquals(text.replace("      # still the script\n", "      # still the script\n    mem_limit: 12884901888\n"), only(e));
    }

    @Test
    void commentedOutItemsOfTheFirstEntryStayWithIt() {
        String text = "services:\n  worker:\n    environment:\n      - A=1\n      # - B=2\n    # the image\n    image: daskdev/dask\n";
        EditResult.Edited e = assertInstanceOf(EditResult.Edited.class, ComposeEditor.edit(EditRequest.of("c.yml", text, Set.of("worker"), LIT)));
        assertEquals(text.replace("      # - B=2\n", "      # - B=2\n    mem_limit: 12884901888\n"), only(e));
    }

    @Test
    void offsetsStayRightAfterCharactersOutsideTheBasicPlane() {
        String text = "# 🐍 workers 🐍\nservices:\n  worker:\n    image: \"dask 😀\"   # 😀\n    mem_limit: 1g\n";
        EditResult.Edited e = assertInstanceOf(EditResult.Edited.class, ComposeEditor.edit(EditRequest.of("c.yml", text, Set.of("worker"), LIT)));
        assertEquals(text.replace("mem_limit: 1g", "mem_limit: 12884901888"), only(e));
    }

    @Test
    void quotedKeysAnchoredValuesAndTagsAreKept() {
        String text = "services:\n  worker:\n    image: a\n    \"mem_limit\": &lim !!str 4g\n";
        EditResult.Edited e = assertInstanceOf(EditResult.Edited.class, ComposeEditor.edit(EditRequest.of("c.yml", text, Set.of("worker"), LIT)));
        assertEquals(text.replace("!!str 4g", "!!str 12884901888"), only(e));
    }

    @Test
    void mergeSequencesAreFollowed() {
        String text = "x-a: &a {mem_limit: 1g}\nx-b: &b {mem_limit: 2g, image: b}\nservices:\n  worker:\n    <<: [*a, *b]\n  other:\n    <<: *b\n";
        EditResult.Edited e = assertInstanceOf(EditResult.Edited.class, ComposeEditor.edit(EditRequest.of("c.yml", text, Set.of("worker"), LIT)));
        // &a is used by the worker only: edited there; &b is not touched
        assertEquals(text.replace("{mem_limit: 1g}", "{mem_limit: 12884901888}"), only(e));
    }

    @Test
    void matchLimitSetsTheReservationToTheLimitInItsOwnQuotes() {
        String before = Fixtures.read("hard/comments-quoted.yml");
        EditResult.Edited e = edit("hard/comments-quoted.yml", LIT, ReservationPolicy.MATCH_LIMIT, "worker");
        String expected = with(before, "    mem_limit: \"2g\"   # quoted, keep quotes\n    mem_reservation: '1g' #",
                "    mem_limit: \"12884901888\"   # quoted, keep quotes\n    mem_reservation: '12884901888' #");
        assertEquals(expected, only(e));
    }

    // ------------------------------------------------------------------ flow style

    @Test
    void flowMappingsAreEditedInsideTheirBraces() {
        String before = Fixtures.read("hard/flow-style.yml");
        EditResult.Edited e = edit("hard/flow-style.yml", ENV, ReservationPolicy.REMOVE, "worker", "worker-nolimit", "worker-multiline");
        String v = "\"${AVAILABLE_MEMORY_FOR_DASK:-0}\""; // flow context: { } must be quoted
        String expected = with(before, "mem_limit: 1g}", "mem_limit: " + v + "}");
        expected = with(expected, "worker-nolimit: {image: daskdev/dask, command", "worker-nolimit: {image: daskdev/dask, mem_limit: " + v + ", command");
        expected = with(expected, "    image: daskdev/dask,\n    mem_reservation: 512m,\n", "    image: daskdev/dask,\n    mem_limit: " + v + ",\n");
        assertEquals(expected, only(e));
    }

    @Test
    void aLiteralInAFlowMappingIsPlain() {
        String before = Fixtures.read("hard/flow-style.yml");
        EditResult.Edited e = edit("hard/flow-style.yml", LIT, ReservationPolicy.REMOVE, "worker");
        assertEquals(with(before, "mem_limit: 1g}", "mem_limit: 12884901888}"), only(e));
    }

    @Test
    void anEmptyFlowMappingGetsTheKey() {
        String text = "services:\n  worker: {}\n";
        EditResult.Edited e = assertInstanceOf(EditResult.Edited.class, ComposeEditor.edit(EditRequest.of("c.yml", text, Set.of("worker"), LIT)));
        assertEquals("services:\n  worker: {mem_limit: 12884901888}\n", only(e));
    }

    // ------------------------------------------------------------------ deploy.resources

    @Test
    void deployLimitFollowsAndReservationsGoWithTheirEmptyParents() {
        String before = Fixtures.read("hard/deploy-resources.yml");
        EditResult.Edited e = edit("hard/deploy-resources.yml", LIT, ReservationPolicy.REMOVE, "worker", "worker-deploy-only");
        String expected = with(before, "    mem_limit: 2g\n", "    mem_limit: 12884901888\n");
        expected = with(expected, "          memory: 2g\n        reservations:\n          memory: 1g\n", "          memory: \"12884901888\"\n");
        expected = with(expected, "  worker-deploy-only:\n    image: daskdev/dask\n",
                "  worker-deploy-only:\n    image: daskdev/dask\n    mem_limit: 12884901888\n");
        expected = with(expected, "limits: {memory: \"2147483648\"}", "limits: {memory: \"12884901888\"}");
        expected = with(expected, "          cpus: \"1\"\n          memory: 1g\n", "          cpus: \"1\"\n");
        assertEquals(expected, only(e));
        // the scheduler's deploy limit is not touched
        assertTrue(only(e).contains("        limits:\n          memory: 1g\n  worker:"));
    }

    // ------------------------------------------------------------------ files and formats

    @Test
    void alreadyCorrectIsANoOpWithANote() {
        EditResult.Edited e = edit("hard/compose.yaml", ENV, ReservationPolicy.REMOVE, "worker");
        assertEquals(Fixtures.read("hard/compose.yaml"), only(e));
        assertTrue(e.changedFiles().isEmpty());
        assertEquals("", e.diff());
        assertTrue(e.notes().get(0).contains("already"), e.notes().toString());
    }

    @Test
    void theOverrideIsEditedWhereTheEffectiveValueIsDefined() {
        List<ComposeSource> files = List.of(Fixtures.source("hard/override/docker-compose.yml"),
                Fixtures.source("hard/override/docker-compose.override.yml"));
        EditResult r = ComposeEditor.edit(new EditRequest(files, Set.of("worker", "worker-b"), LIT, ReservationPolicy.REMOVE));
        EditResult.Edited e = assertInstanceOf(EditResult.Edited.class, r, r::toString);
        assertEquals(files.get(0).text(), e.files().get(0).after(), "the base file stays");
        String override = files.get(1).text();
        String expected = with(override, "    mem_limit: 6g   # bigger box\n    mem_reservation: 1g\n", "    mem_limit: 12884901888   # bigger box\n");
        expected = with(expected, "      - DASK_DISTRIBUTED__WORKER__DAEMON=False\n",
                "      - DASK_DISTRIBUTED__WORKER__DAEMON=False\n    mem_limit: 12884901888\n");
        assertEquals(expected, e.files().get(1).after());
        assertEquals(List.of(e.files().get(1)), e.changedFiles());
        assertTrue(e.notes().stream().anyMatch(n -> n.contains("docker-compose.override.yml")), e.notes().toString());
    }

    @Test
    void theBaseIsEditedWhenTheOverrideDoesNotSetTheLimit() {
        String base = "services:\n  worker:\n    image: daskdev/dask\n    mem_limit: 2g\n";
        String override = "services:\n  worker:\n    environment: [A=1]\n";
        EditResult r = ComposeEditor.edit(new EditRequest(List.of(new ComposeSource("compose.yaml", base),
                new ComposeSource("compose.override.yaml", override)), Set.of("worker"), LIT, ReservationPolicy.REMOVE));
        EditResult.Edited e = assertInstanceOf(EditResult.Edited.class, r, r::toString);
        assertEquals(base.replace("2g", "12884901888"), e.files().get(0).after());
        assertEquals(override, e.files().get(1).after());
    }

    @Test
    void crlfLineEndingsAreKept() {
        String before = Fixtures.read("hard/crlf.docker-compose.yml");
        EditResult.Edited e = edit("hard/crlf.docker-compose.yml", ENV, ReservationPolicy.REMOVE, "worker");
        String expected = with(before, "    image: daskdev/dask\r\n    command: dask-worker",
                "    image: daskdev/dask\r\n    mem_limit: ${AVAILABLE_MEMORY_FOR_DASK:-0}\r\n    command: dask-worker");
        expected = with(expected, "    mem_reservation: 1g\r\n", "");
        assertEquals(expected, only(e));
        assertEquals(-1, only(e).replace("\r\n", "").indexOf('\n'));
    }

    @Test
    void aVersionOneFileHasItsServicesAtTheTop() {
        String before = Fixtures.read("hard/v1-format.yml");
        EditResult.Edited e = edit("hard/v1-format.yml", LIT, ReservationPolicy.REMOVE, "worker");
        assertEquals(with(before, "worker:\n  image: daskdev/dask\n", "worker:\n  image: daskdev/dask\n  mem_limit: 12884901888\n"), only(e));
    }

    @Test
    void envModeIsRefusedForVersionOneFiles() {
        EditResult r = ComposeEditor.edit(new EditRequest(List.of(Fixtures.source("hard/v1-format.yml")), Set.of("worker"), ENV,
                ReservationPolicy.REMOVE));
        assertTrue(assertInstanceOf(EditResult.Refused.class, r).reason().contains("${VAR:-default}"));
    }

    @Test
    void aFileWithoutFinalNewlineKeepsIt() {
        String text = "services:\n  worker:\n    image: daskdev/dask";
        EditResult.Edited e = assertInstanceOf(EditResult.Edited.class, ComposeEditor.edit(EditRequest.of("c.yml", text, Set.of("worker"), LIT)));
        assertEquals(text + "\n    mem_limit: 12884901888", only(e));
    }

    @Test
    void anEmptyValueIsFilled() {
        String text = "services:\n  worker:\n    image: daskdev/dask\n    mem_limit:\n";
        EditResult.Edited e = assertInstanceOf(EditResult.Edited.class, ComposeEditor.edit(EditRequest.of("c.yml", text, Set.of("worker"), LIT)));
        assertEquals(text.replace("mem_limit:\n", "mem_limit: 12884901888\n"), only(e));
    }

    @Test
    void aProbedFileIsAccepted() {
        ComposeFile f = new ComposeFile("/srv/dask/docker-compose.yml", "x", "services:\n  worker:\n    image: a\n", false);
        EditResult r = ComposeEditor.edit(new EditRequest(List.of(ComposeSource.of(f)), Set.of("worker"), ENV, ReservationPolicy.REMOVE));
        assertEquals("/srv/dask/docker-compose.yml", assertInstanceOf(EditResult.Edited.class, r).files().get(0).path());
    }

    // ------------------------------------------------------------------ refusals

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "hard/refuse/duplicate-keys.yml      | worker     | duplicate key 'mem_limit'",
            "hard/refuse/tab-indent.yml          | worker     | not valid YAML",
            "hard/refuse/tab-in-line.yml         | worker     | tab character",
            "hard/refuse/alias-service.yml       | worker     | 'worker-copy'",
            "hard/refuse/shared-deploy.yml       | worker     | copying the whole deploy block",
            "hard/refuse/value-anchor.yml        | worker     | anchor &mem",
            "hard/refuse/mem-limit-not-scalar.yml | worker    | not a single value",
            "hard/refuse/service-merged-into-other.yml | worker | 'worker-gpu'",
            "hard/anchors-merge.yml              | nope       | service 'nope' is not defined",
    })
    void unsafeEditsAreRefusedWithAReason(String fixture, String target, String reason) {
        EditResult.Refused r = refuse(fixture, target);
        assertTrue(r.reason().contains(reason), r.reason());
        assertTrue(r.toString().length() > r.reason().length() || r.path() == null);
    }

    @Test
    void aTruncatedFileIsRefused() {
        EditResult r = ComposeEditor.edit(new EditRequest(List.of(new ComposeSource("c.yml", "services:\n  worker:\n", true)),
                Set.of("worker"), ENV, ReservationPolicy.REMOVE));
        assertTrue(assertInstanceOf(EditResult.Refused.class, r).reason().contains("in part"));
    }

    @Test
    void aMemswapLimitBelowTheNewLimitIsRefused() {
        String text = "services:\n  worker:\n    image: a\n    mem_limit: 1g\n    memswap_limit: 2g\n";
        EditResult r = ComposeEditor.edit(EditRequest.of("c.yml", text, Set.of("worker"), LIT));
        assertTrue(assertInstanceOf(EditResult.Refused.class, r).reason().contains("memswap_limit"));
        EditResult ok = ComposeEditor.edit(EditRequest.of("c.yml", text.replace("2g", "-1"), Set.of("worker"), LIT));
        assertInstanceOf(EditResult.Edited.class, ok);
    }

    @Test
    void editOrThrowThrowsTheRefusal() {
        String text = Fixtures.read("hard/refuse/duplicate-keys.yml");
        ComposeEditRefusedException ex = assertThrows(ComposeEditRefusedException.class,
                () -> ComposeEditor.editOrThrow(EditRequest.of("m.yml", text, Set.of("worker"), ENV)));
        assertEquals("m.yml", ex.refusal().path());
        assertEquals(5, ex.refusal().line());
    }

    @Test
    void theVerifierRejectsAnythingBeyondTheMemoryKeys() {
        String text = "services:\n  worker:\n    image: a\n    mem_limit: 1g\n  db:\n    image: b\n";
        ComposeProject d = ComposeProject.load(EditRequest.of("c.yml", text, Set.of("worker"), MemoryValue.bytes(5)));
        RefusedException ex = assertThrows(RefusedException.class, () -> Verifier.verify(d,
                List.of(text.replace("mem_limit: 1g", "mem_limit: 5").replace("image: b", "image: c")), Set.of("worker"), "5",
                ReservationPolicy.REMOVE));
        assertTrue(ex.getMessage().contains("'db'"), ex.getMessage());
        Verifier.verify(d, List.of(text.replace("mem_limit: 1g", "mem_limit: 5")), Set.of("worker"), "5", ReservationPolicy.REMOVE);
        RefusedException wrong = assertThrows(RefusedException.class, () -> Verifier.verify(d,
                List.of(text.replace("mem_limit: 1g", "mem_limit: 6")), Set.of("worker"), "5", ReservationPolicy.REMOVE));
        assertTrue(wrong.getMessage().contains("effective mem_limit"), wrong.getMessage());
    }

    /** Every subset of services of every fixture, both modes: edited minimally, or refused with a reason. */
    @Test
    void everySubsetIsEditedMinimallyOrRefused() {
        List<String> fixtures = new java.util.ArrayList<>();
        ComposeCorpusTest.corpusFiles().forEach(f -> fixtures.add("corpus/" + f));
        fixtures.addAll(List.of("hard/anchors-merge.yml", "hard/comments-quoted.yml", "hard/flow-style.yml", "hard/deploy-resources.yml",
                "hard/compose.yaml", "hard/crlf.docker-compose.yml", "hard/v1-format.yml", "hard/refuse/alias-service.yml",
                "hard/refuse/shared-deploy.yml", "hard/refuse/value-anchor.yml", "hard/refuse/service-merged-into-other.yml"));
        int edited = 0;
        int refused = 0;
        for (String f : fixtures) {
            String text = Fixtures.read(f);
            List<String> names = Fixtures.serviceNames(text);
            // every subset of the first four services, and all of them
            int limit = Math.min(names.size(), 4);
            List<Set<String>> subsets = new java.util.ArrayList<>();
            for (int mask = 1; mask < (1 << limit); mask++) {
                Set<String> targets = new java.util.HashSet<>();
                for (int i = 0; i < limit; i++) {
                    if ((mask & (1 << i)) != 0) {
                        targets.add(names.get(i));
                    }
                }
                subsets.add(targets);
            }
            subsets.add(new java.util.HashSet<>(names));
            for (Set<String> targets : subsets) {
                for (MemoryValue v : List.of(ENV, LIT)) {
                    for (ReservationPolicy p : ReservationPolicy.values()) {
                        EditResult r = ComposeEditor.edit(new EditRequest(List.of(new ComposeSource(f, text)), targets, v, p));
                        if (r instanceof EditResult.Edited e) {
                            edited++;
                            assertNull(Fixtures.minimalityViolation(text, only(e)), f + " " + targets);
                        } else {
                            refused++;
                            assertTrue(((EditResult.Refused) r).reason().length() > 20, r.toString());
                        }
                    }
                }
            }
        }
        assertTrue(edited > 300 && refused > 0, edited + " edited, " + refused + " refused");
    }

    // ------------------------------------------------------------------ helpers

    @Test
    void overrideNames() {
        assertEquals("/srv/compose.override.yaml", ComposeEditor.defaultOverrideName("/srv/compose.yaml"));
        assertEquals("docker-compose.override.yml", ComposeEditor.defaultOverrideName("docker-compose.yml"));
        assertEquals("compose.override.yml", ComposeEditor.defaultOverrideName("compose.yml"));
        assertNull(ComposeEditor.defaultOverrideName("stack.yml"));
    }

    @Test
    void dockerByteNotation() {
        assertEquals(4L << 30, ComposeEditor.dockerBytes("4g"));
        assertEquals(512L << 20, ComposeEditor.dockerBytes("512MiB"));
        assertEquals(1_610_612_736L, ComposeEditor.dockerBytes("1.5G"));
        assertEquals(12_884_901_888L, ComposeEditor.dockerBytes("12884901888"));
        assertNull(ComposeEditor.dockerBytes("${X}"));
    }

    @Test
    void valuesAreQuotedOnlyWhenAPlainScalarWouldNotDo() {
        assertEquals("${A:-0}", ScalarText.render("${A:-0}", YamlTree.Style.PLAIN, false, false));
        assertEquals("\"${A:-0}\"", ScalarText.render("${A:-0}", YamlTree.Style.PLAIN, true, false));
        assertEquals("\"123\"", ScalarText.render("123", YamlTree.Style.PLAIN, false, true));
        assertEquals("123", ScalarText.render("123", YamlTree.Style.PLAIN, true, false));
        assertEquals("'123'", ScalarText.render("123", YamlTree.Style.SINGLE, false, false));
    }

    @Test
    void nonStringAndNullKeysAreComparedNotCast() {
        // found by fuzzing (RemoteOutputFuzzTestInputs/composeYaml/crash-36b8…): YAML loads "7:" as an Integer key
        for (String text : List.of("7: x\nservices:\n  worker:\n    image: w\n",
                "services:\n  7:\n    image: n\n  worker:\n    image: w\n",
                "services:\n  &n :\n    image: n\n  worker:\n    image: w\n")) { // a null service key (crash-c662…)
            EditResult r = ComposeEditor.edit(EditRequest.of("docker-compose.yml", text, Set.of("worker"),
                    new MemoryValue.Literal(2L << 30)));
            assertTrue(r instanceof EditResult.Edited, text + " -> " + r);
        }
    }

    @Test
    void aDecimalWithALeadingZeroIsReadAsYaml12ReadsItNotAsOctal() {
        // found by fuzzing after issue 21's rewrite (crash-5ed3469f…): SnakeYAML read "09" as octal and threw
        // NumberFormatException out of the editor; YAML 1.2 (go-yaml v3, Compose v2) reads a decimal
        String text = "services:\n  worker:\n    image: w\n    healthcheck:\n      retries: 09\n      interval: 010\n";
        EditResult r = ComposeEditor.edit(EditRequest.of("docker-compose.yml", text, Set.of("worker"),
                new MemoryValue.Literal(2L << 30)));
        assertTrue(r instanceof EditResult.Edited, text + " -> " + r);
        EditResult tagged = ComposeEditor.edit(EditRequest.of("docker-compose.yml",
                "services:\n  worker:\n    image: w\n    x: !!int 0o9\n", Set.of("worker"), new MemoryValue.Literal(2L << 30)));
        assertTrue(tagged instanceof EditResult.Refused refused && !refused.reason().isBlank(), "an int that is none: " + tagged);
    }

    @Test
    void flowMappingWhoseFirstEntryEndsAfterALineBreakIsRefusedNotThrown() {
        // found by fuzzing (crash-047e37a5…): an implicit empty value whose position is on the next line
        String text = "services: {worker: {im\uFFFD\n,sk, mem_reservation: ,{by1}}}\n";
        EditResult r = ComposeEditor.edit(EditRequest.of("docker-compose.yml", text, Set.of("worker"),
                new MemoryValue.Literal(2L << 30)));
        assertInstanceOf(EditResult.Refused.class, r, String.valueOf(r));
    }
}
