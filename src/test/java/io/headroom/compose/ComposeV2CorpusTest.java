package io.headroom.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.it.Need;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compose-spec features Compose v2 reads differently from a YAML 1.1 parser (fixtures/compose/compose-v2-corpus:
 * one project directory per case, its {@code case.properties} naming the feature, the {@code -f} files, the targets
 * and what the editor must do in each mode), edited in env and literal mode, and each project rendered by Compose v2
 * itself ({@code docker-compose config --format json}, no daemon) before and after: the targets' memory limit is the
 * bytes asked, no reservation below it is left, every other service and every other key is unchanged, and every
 * other line of every file is byte-identical. A case the editor must refuse is refused at the file and line named,
 * in words that say what to do. Without Compose v2 the rendering is skipped with the reason (it fails under CI).
 */
class ComposeV2CorpusTest {
    static final long BYTES = 12_884_901_888L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, int[]> COUNTS = new TreeMap<>();

    /** One case: a project directory under compose-v2-corpus. */
    record Case(String name, Path dir, String feature, List<String> files, Set<String> targets, String literal, String env) {
        String expected(boolean envMode) {
            return envMode ? env : literal;
        }
    }

    static List<Case> cases() {
        try {
            Path root = Path.of(ComposeV2CorpusTest.class.getResource(Fixtures.ROOT + "compose-v2-corpus").toURI());
            List<Case> out = new ArrayList<>();
            try (Stream<Path> dirs = Files.list(root)) {
                for (Path dir : dirs.sorted().toList()) {
                    Properties p = new Properties();
                    try (InputStream in = Files.newInputStream(dir.resolve("case.properties"))) {
                        p.load(in);
                    }
                    out.add(new Case(dir.getFileName().toString(), dir, p.getProperty("feature"),
                            Arrays.asList(p.getProperty("files", "compose.yaml").split(",")),
                            new LinkedHashSet<>(Arrays.asList(p.getProperty("targets").split(","))),
                            p.getProperty("literal", "edited"), p.getProperty("env", "edited")));
                }
            }
            // the shapes public Dask projects use (fixtures/compose/corpus, README there) and the hand-made hard cases;
            // informramiz's `version: 2` (an int) is refused by Compose v2 itself before any edit, v1-format.yml is a
            // format Compose v2 does not read: both stay with ComposeCorpusTest (docker-compose 1.29)
            Path corpus = root.getParent().resolve("corpus");
            for (String f : ComposeCorpusTest.corpusFiles()) {
                if (!f.startsWith("informramiz")) {
                    Set<String> workers = new LinkedHashSet<>(Fixtures.serviceNames(read(corpus.resolve(f))).stream()
                            .filter(n -> n.contains("worker")).toList());
                    out.add(new Case("corpus/" + f, corpus, "public Dask projects", List.of(f), workers, "edited", "edited"));
                }
            }
            Path hard = root.getParent().resolve("hard");
            for (ComposeCorpusTest.Case c : ComposeCorpusTest.cases()) {
                if (c.files().get(0).startsWith("hard/") && !c.name().startsWith("version 1")) {
                    out.add(new Case(c.name(), hard, "anchors, flow style, comments, CRLF, override pair", c.files().stream()
                            .map(f -> f.substring("hard/".length())).toList(), c.targets(), "edited", "edited"));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCaseBothModesCheckedByComposeV2() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases()) {
            for (boolean envMode : List.of(false, true)) {
                String label = c.feature() + " | " + c.name() + " | " + (envMode ? "env" : "literal");
                tests.add(DynamicTest.dynamicTest(label, () -> run(c, envMode)));
            }
        }
        tests.add(DynamicTest.dynamicTest("counts", () -> COUNTS.forEach((feature, n) ->
                System.err.println("compose v2 corpus: " + feature + ": " + n[0] + " edited and rendered right, " + n[1] + " refused"))));
        return tests.stream();
    }

    private static void run(Case c, boolean envMode) throws IOException {
        MemoryValue mode = envMode ? MemoryValue.env(BYTES) : MemoryValue.bytes(BYTES);
        List<ComposeSource> files = new ArrayList<>();
        for (String f : c.files()) {
            files.add(new ComposeSource(f, read(c.dir().resolve(f))));
        }
        List<ComposeSource> referenced = new ArrayList<>();
        try (Stream<Path> all = Files.walk(c.dir())) {
            for (Path p : all.filter(Files::isRegularFile).sorted().toList()) {
                String rel = c.dir().relativize(p).toString();
                if ((rel.endsWith(".yml") || rel.endsWith(".yaml")) && !c.files().contains(rel)) {
                    referenced.add(new ComposeSource(rel, read(p)));
                }
            }
        }
        EditResult r = ComposeEditor.edit(new EditRequest(files, c.targets(), mode, ReservationPolicy.REMOVE, referenced));
        String expected = c.expected(envMode);
        int[] counts = COUNTS.computeIfAbsent(c.feature(), k -> new int[2]);
        if (expected.startsWith("refused")) {
            EditResult.Refused refused = assertInstanceOf(EditResult.Refused.class, r, () -> "expected " + expected + ", got " + r);
            assertEquals(expected.substring("refused ".length()), refused.path() + ":" + refused.line(), refused.toString());
            assertPlainWords(refused);
            synchronized (COUNTS) {
                counts[1]++;
            }
            return;
        }
        EditResult.Edited e = assertInstanceOf(EditResult.Edited.class, r, () -> "refused: " + r);
        for (FileEdit f : e.files()) {
            assertNull(Fixtures.minimalityViolation(f.before(), f.after()), f.path());
        }
        Need.COMPOSE_V2.require();
        Path work = Files.createTempDirectory("compose-v2-corpus");
        try {
            copyTree(c.dir(), work);
            JsonNode before = config(work, c.files());
            for (FileEdit f : e.files()) {
                Files.writeString(work.resolve(f.path()), f.after(), StandardCharsets.UTF_8);
            }
            if (envMode) {
                Path env = work.resolve(DotEnvEditor.envPathFor(c.files())); // the project directory: the first file's
                String text = Files.exists(env) ? Files.readString(env) : "";
                Files.writeString(env, DotEnvEditor.setAvailableMemory(text, BYTES));
            }
            JsonNode after = config(work, c.files());
            compare(c, before, after);
        } finally {
            try (Stream<Path> walk = Files.walk(work)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        synchronized (COUNTS) {
            counts[0]++;
        }
    }

    /** A refusal a user can act on: file, line, what to do; no YAML library's message. */
    static void assertPlainWords(EditResult.Refused r) {
        assertTrue(r.path() != null && r.line() > 0, r.toString());
        for (String parser : List.of("constructor", "tag:yaml.org", "while parsing", "while scanning", "expected <", "Exception")) {
            assertFalse(r.reason().contains(parser), r.toString());
        }
    }

    private static void compare(Case c, JsonNode before, JsonNode after) {
        ObjectNode b = before.deepCopy();
        ObjectNode a = after.deepCopy();
        JsonNode sb = b.remove("services");
        JsonNode sa = a.remove("services");
        // top-level x- extension fields mean nothing to Compose (an anchor there is edited when all its users are targets)
        b.properties().removeIf(e -> e.getKey().startsWith("x-"));
        a.properties().removeIf(e -> e.getKey().startsWith("x-"));
        assertEquals(b, a, "top-level configuration changed");
        List<String> names = new ArrayList<>();
        sb.fieldNames().forEachRemaining(names::add);
        List<String> namesAfter = new ArrayList<>();
        sa.fieldNames().forEachRemaining(namesAfter::add);
        assertEquals(names, namesAfter);
        assertTrue(names.containsAll(c.targets()), "Compose v2 does not render every target: " + names);
        for (String s : names) {
            if (!c.targets().contains(s)) {
                assertEquals(sb.get(s), sa.get(s), "non-target service " + s + " changed");
                continue;
            }
            ObjectNode y = (ObjectNode) sa.get(s).deepCopy();
            assertEquals(BYTES, y.path("mem_limit").asLong(), s + ": " + y);
            JsonNode deployLimit = y.at("/deploy/resources/limits/memory");
            assertTrue(deployLimit.isMissingNode() || deployLimit.asLong() == BYTES, s + " deploy limit: " + y);
            JsonNode reservation = y.path("mem_reservation");
            assertTrue(reservation.isMissingNode() || reservation.asLong() == BYTES, s + " mem_reservation: " + y);
            JsonNode deployReservation = y.at("/deploy/resources/reservations/memory");
            assertTrue(deployReservation.isMissingNode() || deployReservation.asLong() == BYTES, s + " deploy reservation: " + y);
            assertEquals(strip((ObjectNode) sb.get(s).deepCopy()), strip(y), s + " changed beyond its memory keys");
        }
    }

    private static JsonNode strip(ObjectNode svc) {
        svc.remove(List.of("mem_limit", "mem_reservation"));
        if (svc.get("deploy") instanceof ObjectNode dep && dep.get("resources") instanceof ObjectNode res) {
            for (String k : List.of("limits", "reservations")) {
                if (res.get(k) instanceof ObjectNode l) {
                    l.remove("memory");
                    if (l.isEmpty()) {
                        res.remove(k);
                    }
                }
            }
            if (res.isEmpty()) {
                dep.remove("resources");
            }
            if (dep.isEmpty()) {
                svc.remove("deploy");
            }
        }
        return svc;
    }

    private static JsonNode config(Path dir, List<String> files) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Need.composeV2(), "-p", "corpus", "--profile", "*"));
        for (String f : files) {
            cmd.add("-f");
            cmd.add(f);
        }
        cmd.addAll(List.of("config", "--format", "json"));
        ComposeCli.Result r = ComposeCli.run(dir, cmd);
        assertEquals(0, r.exit(), () -> "docker compose config: " + r.err());
        return JSON.readTree(r.out());
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().equals("case.properties")) {
                    Files.copy(p, target);
                }
            }
        }
    }
}
