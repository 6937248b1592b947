package io.headroom.compose;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every fixture (real compose files of public Dask deployments and hand-made hard cases) × each mode
 * (env, literal) × each reservation policy: the edit is minimal (every line outside the memory keys
 * byte-identical), re-parses, and the real docker-compose 1.29 accepts it ({@code config}), reports
 * the intended memory values for the targets and the very same configuration for everything else.
 */
class ComposeCorpusTest {
    static final long BYTES = 12_884_901_888L;
    private static final ExecutorService POOL = Executors.newFixedThreadPool(4);
    private static final Map<String, CompletableFuture<ComposeCli.Result>> RUNS = new LinkedHashMap<>();
    private static Path tmp;

    /** One editing case: files (in -f order) and targets. */
    record Case(String name, List<String> files, Set<String> targets) {
    }

    static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (String f : corpusFiles()) {
            Set<String> workers = new LinkedHashSet<>();
            for (String s : Fixtures.serviceNames(Fixtures.read("corpus/" + f))) {
                if (s.contains("worker")) {
                    workers.add(s);
                }
            }
            out.add(new Case("corpus/" + f, List.of("corpus/" + f), workers));
        }
        out.add(new Case("anchors: one of two template users", List.of("hard/anchors-merge.yml"), Set.of("worker-a")));
        out.add(new Case("anchors: every template user", List.of("hard/anchors-merge.yml"), Set.of("worker-a", "worker-b")));
        out.add(new Case("anchors: all workers", List.of("hard/anchors-merge.yml"), Set.of("worker-a", "worker-b", "worker-big")));
        out.add(new Case("comments and quotes", List.of("hard/comments-quoted.yml"), Set.of("worker", "worker2")));
        out.add(new Case("flow style", List.of("hard/flow-style.yml"), Set.of("worker", "worker-nolimit", "worker-multiline")));
        out.add(new Case("deploy resources", List.of("hard/deploy-resources.yml"), Set.of("worker", "worker-deploy-only")));
        out.add(new Case("compose spec, no version", List.of("hard/compose.yaml"), Set.of("worker")));
        out.add(new Case("override pair", List.of("hard/override/docker-compose.yml", "hard/override/docker-compose.override.yml"),
                Set.of("worker", "worker-b")));
        out.add(new Case("CRLF", List.of("hard/crlf.docker-compose.yml"), Set.of("worker")));
        out.add(new Case("version 1 format", List.of("hard/v1-format.yml"), Set.of("worker")));
        return out;
    }

    static List<String> corpusFiles() {
        return List.of("dask-docker.docker-compose.yml", "flowdapt.compute-dask.yaml", "informramiz.docker-compose.yml",
                "libertem.docker-compose.yml", "prefect-dask-docker.docker-compose.yml", "sircamp.docker-compose.yml",
                "ska-sip.dask_cluster.docker-compose.yml", "ska-sip.dask_workflow_test_02.docker-compose.yml");
    }

    static List<MemoryValue> modes() {
        return List.of(MemoryValue.env(), MemoryValue.bytes(BYTES));
    }

    @AfterAll
    static void cleanUp() throws IOException {
        POOL.shutdownNow();
        if (tmp != null) {
            try (Stream<Path> walk = Files.walk(tmp)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> everyFixtureEveryMode() throws IOException {
        boolean compose = ComposeCli.executable() != null;
        tmp = Files.createTempDirectory("compose-corpus");
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases()) {
            List<ComposeSource> sources = c.files().stream().map(Fixtures::source).toList();
            List<String> names = c.files().stream().map(f -> f.substring(f.lastIndexOf('/') + 1)).toList();
            String envText = "# the boot script writes this\nAVAILABLE_MEMORY_FOR_DASK=" + BYTES + "\n";
            String baselineKey = c.files() + " baseline";
            if (compose) {
                RUNS.computeIfAbsent(baselineKey, k -> composeAsync(tmp, names, sources.stream().map(ComposeSource::text).toList(), envText));
            }
            for (MemoryValue mode : modes()) {
                for (ReservationPolicy policy : ReservationPolicy.values()) {
                    String label = c.name() + " | " + (mode instanceof MemoryValue.Literal ? "literal" : "env") + " | " + policy;
                    EditResult r = ComposeEditor.edit(new EditRequest(sources, c.targets(), mode, policy));
                    if (c.name().startsWith("version 1") && mode instanceof MemoryValue.EnvReference) {
                        // docker-compose's version-1 interpolation has no ${VAR:-default}: refused, by design
                        tests.add(DynamicTest.dynamicTest(label + " (refused)", () -> assertTrue(
                                assertInstanceOf(EditResult.Refused.class, r).reason().contains("version-1"))));
                        continue;
                    }
                    String runKey = label + " after";
                    boolean hasReservation = sources.stream().anyMatch(s -> s.text().contains("reservation"));
                    boolean runCompose = compose && r instanceof EditResult.Edited && (policy == ReservationPolicy.REMOVE || hasReservation);
                    if (runCompose) {
                        EditResult.Edited e = (EditResult.Edited) r;
                        RUNS.put(runKey, composeAsync(tmp, names, e.files().stream().map(FileEdit::after).toList(), envText));
                    }
                    tests.add(DynamicTest.dynamicTest(label, () -> {
                        EditResult.Edited e = assertInstanceOf(EditResult.Edited.class, r, () -> "refused: " + r);
                        for (FileEdit f : e.files()) {
                            assertNull(Fixtures.minimalityViolation(f.before(), f.after()), f.path());
                            Verifier.load(f.after(), f.path()); // re-parses
                        }
                        assertEquals(e.changedFiles().isEmpty(), e.diff().isEmpty());
                        if (!compose) {
                            ComposeCli.require(); // skips (or fails under CI) with a message
                        }
                        if (runCompose) {
                            checkCompose(c, mode, policy, RUNS.get(baselineKey).join(), RUNS.get(runKey).join());
                        }
                    }));
                }
            }
        }
        return tests.stream();
    }

    private static CompletableFuture<ComposeCli.Result> composeAsync(Path tmp, List<String> names, List<String> texts, String envText) {
        Path base;
        Path dir;
        try {
            base = Files.createTempDirectory(tmp, "p");
            dir = Fixtures.project(base, names, texts, envText);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // absolute paths (build contexts, bind mounts) differ per directory: make them comparable
        return CompletableFuture.supplyAsync(() -> ComposeCli.config(dir, names), POOL)
                .thenApply(r -> new ComposeCli.Result(r.exit(), r.out().replace(base.toString(), "$BASE"), r.err()));
    }

    @SuppressWarnings("unchecked")
    private static void checkCompose(Case c, MemoryValue mode, ReservationPolicy policy, ComposeCli.Result before, ComposeCli.Result after) {
        if (before.exit() != 0) {
            // the original is already rejected (e.g. informramiz's `version: 2`, an int): the edit must not change why
            assertNotEquals(0, after.exit(), "docker-compose accepted the edit of a file it rejects: " + c.name());
            assertEquals(before.err().replaceAll("\\s+", " "), after.err().replaceAll("\\s+", " "));
            System.err.println("NOTE compose test: " + c.name() + " is rejected by docker-compose 1.29 before and after the edit: "
                    + before.err().strip());
            return;
        }
        assertEquals(0, after.exit(), () -> "docker-compose config rejected the edit of " + c.name() + ":\n" + after.err());
        Map<String, Object> b = before.yaml();
        Map<String, Object> a = after.yaml();
        Map<String, Object> sb = (Map<String, Object>) b.remove("services");
        Map<String, Object> sa = (Map<String, Object>) a.remove("services");
        assertEquals(b, a, "top-level configuration changed");
        assertEquals(sb.keySet(), sa.keySet());
        String expected = Long.toString(BYTES);
        for (String s : sb.keySet()) {
            Map<String, Object> x = (Map<String, Object>) sb.get(s);
            Map<String, Object> y = (Map<String, Object>) sa.get(s);
            if (!c.targets().contains(s)) {
                assertEquals(x, y, "non-target service " + s + " changed");
                continue;
            }
            // docker-compose prints an interpolated value as a string, a literal as written (an int)
            assertEquals(expected, String.valueOf(y.get("mem_limit")), s + " mem_limit");
            Object deployLimit = at(y, "deploy", "resources", "limits", "memory");
            if (at(x, "deploy", "resources", "limits", "memory") != null) {
                assertEquals(expected, String.valueOf(deployLimit), s + " deploy limit");
            }
            Object reservation = y.get("mem_reservation");
            Object deployReservation = at(y, "deploy", "resources", "reservations", "memory");
            if (policy == ReservationPolicy.REMOVE) {
                assertTrue(reservation == null || expected.equals(String.valueOf(reservation)), s + " mem_reservation " + reservation);
                assertTrue(deployReservation == null || expected.equals(String.valueOf(deployReservation)), s + " deploy reservation");
            } else {
                if (x.containsKey("mem_reservation")) {
                    assertEquals(expected, String.valueOf(reservation), s + " mem_reservation");
                }
                if (at(x, "deploy", "resources", "reservations", "memory") != null) {
                    assertEquals(expected, String.valueOf(deployReservation), s + " deploy reservation");
                }
            }
            assertEquals(strip(x), strip(y), s + " changed beyond its memory keys");
        }
    }

    private static Object at(Map<String, Object> m, String... path) {
        Object cur = m;
        for (String k : path) {
            if (!(cur instanceof Map<?, ?> cm)) {
                return null;
            }
            cur = cm.get(k);
        }
        return cur;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> strip(Map<String, Object> svc) {
        Map<String, Object> copy = new LinkedHashMap<>(svc);
        copy.remove("mem_limit");
        copy.remove("mem_reservation");
        if (copy.get("deploy") instanceof Map<?, ?> d) {
            Map<String, Object> dep = new LinkedHashMap<>((Map<String, Object>) d);
            if (dep.get("resources") instanceof Map<?, ?> r) {
                Map<String, Object> res = new LinkedHashMap<>((Map<String, Object>) r);
                for (String k : List.of("limits", "reservations")) {
                    if (res.get(k) instanceof Map<?, ?> l) {
                        Map<String, Object> lm = new LinkedHashMap<>((Map<String, Object>) l);
                        lm.remove("memory");
                        if (lm.isEmpty()) {
                            res.remove(k);
                        } else {
                            res.put(k, lm);
                        }
                    }
                }
                if (res.isEmpty()) {
                    dep.remove("resources");
                } else {
                    dep.put("resources", res);
                }
            }
            if (dep.isEmpty()) {
                copy.remove("deploy");
            } else {
                copy.put("deploy", dep);
            }
        }
        return copy;
    }
}
