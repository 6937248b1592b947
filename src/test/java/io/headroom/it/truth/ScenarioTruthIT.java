package io.headroom.it.truth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.it.Lab;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * Truth tests: every scenario of {@code lab/scenarios} (one compose project per stand-in VM, each
 * with its own scheduler) is brought up at once, the OOM scenario is driven into a kernel OOM kill,
 * and one {@code headroom scan --json local} is compared with what really happened:
 * <ul>
 *   <li>each worker's predicted {@code memoryLimitBytes} equals, byte for byte, the
 *       {@code memory_limit} its scheduler's {@code /json/identity.json} reports;</li>
 *   <li>each container's {@code cgroupLimitBytes} equals {@code docker inspect}'s
 *       {@code HostConfig.Memory} and the kernel's {@code memory.limit_in_bytes};</li>
 *   <li>each container gets exactly the findings its scenario is built to produce.</li>
 * </ul>
 * OVERCOMMIT is host-wide and suppressed by any unlimited container, so it is checked last, with
 * only s9 left up and {@code --reserve} chosen from the scan so that the budget lies between one
 * and two of its 6 GiB limits (no real memory is allocated).
 */
@Tag("lab")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScenarioTruthIT {
    private static final long GIB = 1L << 30;
    /** memory.limit_in_bytes of an unlimited v1 cgroup (PAGE_COUNTER_MAX × 4 KiB). */
    private static final long UNLIMITED_V1 = 9223372036854771712L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCRIPT = Path.of("lab", "scenarios").toAbsolutePath().toString();

    static final List<Scenario> SCENARIOS = List.of(
            new Scenario("s0-oom-kill", Map.of("worker", Set.of("OOM_KILLS"))),
            new Scenario("s1-no-limit", Map.of("worker", Set.of("NO_LIMIT"))),
            new Scenario("s2-seed-env", Map.of("worker", Set.of())),
            new Scenario("s3-limit-above-host", Map.of("worker", Set.of("LIMIT_ABOVE_AVAILABLE"))),
            new Scenario("s4-reservation", Map.of("worker", Set.of("RESERVATION_SHRINKS_DASK"))),
            new Scenario("s5-unit-confusion", Map.of("worker-gib", Set.of(), "worker-g", Set.of("UNIT_CONFUSION"))),
            new Scenario("s6-fraction", Map.of("worker", Set.of())),
            new Scenario("s7-nworkers", Map.of("worker", Set.of())),
            new Scenario("s8-dask-above-cgroup", Map.of("worker", Set.of("DASK_LIMIT_ABOVE_CGROUP"))),
            new Scenario("s9-overcommit", Map.of("worker-a", Set.of(), "worker-b", Set.of())));

    private boolean started;
    private long t0;
    private JsonNode host;
    private String scanText;
    private String allUpScanText;
    private final Map<String, JsonNode> identities = new HashMap<>();

    @BeforeAll
    void upOomAndScan() throws Exception {
        Lab.requireDocker();
        t0 = System.nanoTime();
        started = true;
        Lab.Result up = Lab.run(420, SCRIPT, "up");
        assertEquals(0, up.exit(), "lab/scenarios up failed:\n" + up.err());
        long tUp = System.nanoTime();
        Lab.Result oom = Lab.run(180, SCRIPT, "oom");
        assertEquals(0, oom.exit(), "lab/scenarios oom failed:\n" + oom.out() + oom.err());
        long tOom = System.nanoTime();
        host = scanUntilEveryWorkerIsVisible();
        allUpScanText = scanText;
        for (Scenario s : SCENARIOS) {
            identities.put(s.name(), s.identity());
        }
        System.err.printf("[truth] up %.0f s, oom %.0f s, scan %.0f s%n", secs(t0, tUp), secs(tUp, tOom),
                secs(tOom, System.nanoTime()));
    }

    @AfterAll
    void down() {
        if (!started) {
            return;
        }
        Lab.Result r = Lab.run(180, SCRIPT, "down");
        System.err.printf("[truth] total with down %.0f s%s%n", secs(t0, System.nanoTime()),
                r.exit() == 0 ? "" : " (down failed: " + r.err().strip() + ")");
    }

    // ------------------------------------------------------------------ every worker, every scenario

    @TestFactory
    @Order(1)
    Stream<DynamicContainer> everyScenario() {
        return SCENARIOS.stream().map(s -> DynamicContainer.dynamicContainer(s.name(), Stream.of(
                dynamicTest("cgroupLimitBytes = docker inspect = memory.limit_in_bytes", () -> cgroupTruth(s)),
                dynamicTest("memoryLimitBytes = scheduler's memory_limit, byte for byte", () -> daskTruth(s)),
                dynamicTest("findings " + new java.util.TreeMap<>(s.findings()), () -> findingTruth(s)))));
    }

    private void cgroupTruth(Scenario s) throws IOException {
        for (JsonNode c : containersOf(s)) {
            String name = c.get("name").asText();
            JsonNode inspect = inspect(c.get("id").asText());
            Long engine = zeroIsNull(inspect.at("/HostConfig/Memory").asLong());
            Long engineReservation = zeroIsNull(inspect.at("/HostConfig/MemoryReservation").asLong());
            Path dir = Path.of(c.get("cgroupDirectory").asText());
            Long kernel = unlimitedIsNull(Files.readString(dir.resolve("memory.limit_in_bytes")));
            Long kernelSoft = unlimitedIsNull(Files.readString(dir.resolve("memory.soft_limit_in_bytes")));
            assertEquals(engine, longOrNull(c.get("cgroupLimitBytes")), name + ": cgroupLimitBytes vs docker inspect HostConfig.Memory");
            assertEquals(kernel, longOrNull(c.get("cgroupLimitBytes")), name + ": cgroupLimitBytes vs " + dir + "/memory.limit_in_bytes");
            assertEquals(engine, longOrNull(c.get("engineMemoryBytes")), name + ": engineMemoryBytes");
            assertEquals(kernelSoft, longOrNull(c.get("softLimitBytes")), name + ": softLimitBytes vs memory.soft_limit_in_bytes");
            assertEquals(engineReservation, longOrNull(c.get("engineReservationBytes")), name + ": engineReservationBytes");
            assertEquals(1, c.get("cgroupVersion").asInt(), name);
            // the directory is the one the worker processes really live in
            for (JsonNode w : c.get("daskWorkers")) {
                String memcg = memoryCgroupOf(w.get("pid").asInt());
                assertEquals(dir.toString(), "/sys/fs/cgroup/memory" + memcg, name + ": memory cgroup of pid " + w.get("pid"));
            }
        }
    }

    private void daskTruth(Scenario s) throws IOException {
        JsonNode identity = identities.get(s.name());
        List<JsonNode> all = new ArrayList<>();
        identity.get("workers").forEach(all::add);
        assertEquals(s.expectedWorkers(), all.size(), s + ": workers listed by the scheduler");
        int matched = 0;
        for (JsonNode c : containersOf(s)) {
            String name = c.get("name").asText();
            String service = c.get("composeService").asText();
            Set<String> ips = new TreeSet<>();
            inspect(c.get("id").asText()).at("/NetworkSettings/Networks").forEach(n -> ips.add(n.get("IPAddress").asText()));
            List<JsonNode> mine = all.stream().filter(w -> {
                String n = w.get("name").asText();
                return n.equals(service) || n.matches(java.util.regex.Pattern.quote(service) + "-\\d+");
            }).toList();
            matched += mine.size();
            List<String> fromDask = new ArrayList<>();
            List<String> threadsDask = new ArrayList<>();
            for (JsonNode w : mine) {
                assertTrue(ips.contains(w.get("host").asText()), name + ": worker " + w.get("name") + " at " + w.get("host")
                        + " is not in this container " + ips);
                fromDask.add(w.get("memory_limit").asText());
                threadsDask.add(w.get("nthreads").asText());
            }
            List<String> predicted = new ArrayList<>();
            List<String> threadsPredicted = new ArrayList<>();
            for (JsonNode w : c.get("daskWorkers")) {
                predicted.add(w.get("memoryLimitBytes").asText());
                threadsPredicted.add(w.get("nthreads").asText());
            }
            fromDask.sort(null);
            predicted.sort(null);
            threadsDask.sort(null);
            threadsPredicted.sort(null);
            assertEquals(fromDask, predicted, name + ": Headroom's memoryLimitBytes vs Dask's memory_limit; derivation "
                    + c.get("daskWorkers").get(0).get("derivation"));
            assertEquals(threadsDask, threadsPredicted, name + ": nthreads");
        }
        assertEquals(all.size(), matched, s + ": every worker of the scheduler belongs to one container");
    }

    private void findingTruth(Scenario s) {
        for (JsonNode c : containersOf(s)) {
            String name = c.get("name").asText();
            Set<String> codes = new TreeSet<>();
            for (JsonNode f : host.get("findings")) {
                if (name.equals(f.get("container").asText(null))) {
                    codes.add(f.get("code").asText());
                }
            }
            assertEquals(new TreeSet<>(s.findings().get(c.get("composeService").asText())), codes, name + ": findings "
                    + host.get("findings"));
        }
        if (s.name().equals("s2-seed-env")) {
            String dotEnv = Scenario.PROJECTS.resolve(s.name()).resolve(".env").toAbsolutePath().toString();
            assertEquals("1073741824", host.at("/dotEnv").path(dotEnv).asText(null), "the .env Headroom read: " + host.get("dotEnv"));
            for (JsonNode f : host.get("findings")) {
                assertFalse(f.get("code").asText().equals("ENV_VALUE_INVALID"), f.toString());
            }
        }
    }

    // ------------------------------------------------------------------------------- OOM kill

    @Test
    @Order(2)
    void oomKillIsAttributedToItsContainer() {
        JsonNode c = containersOf(SCENARIOS.get(0)).get(0);
        String id = c.get("id").asText();
        String name = c.get("name").asText();
        assertTrue(c.get("oomKills").asLong() >= 1, name + ": memory.oom_control oom_kill " + c.get("oomKills"));
        List<JsonNode> events = new ArrayList<>();
        host.get("oomEvents").forEach(e -> {
            if (id.equals(e.get("containerId").asText(null))) {
                events.add(e);
            }
        });
        assertFalse(events.isEmpty(), name + ": no kernel OOM line attributed to " + id + " in " + host.get("oomEvents"));
        JsonNode last = events.get(events.size() - 1);
        assertTrue(last.get("memcg").asText().endsWith(id), last.toString());
        assertTrue(last.get("line").asText().contains("Killed process"), last.toString());
        JsonNode finding = null;
        for (JsonNode f : host.get("findings")) {
            if (f.get("code").asText().equals("OOM_KILLS") && name.equals(f.get("container").asText(null))) {
                finding = f;
            }
        }
        assertNotNull(finding, "OOM_KILLS for " + name);
        assertTrue(finding.get("message").asText().contains(last.get("line").asText()), finding.toString());
        // Dask's own account of it: the nanny logs the signal (distributed/nanny.py _on_exit_sync)
        Lab.Result logs = Lab.run(30, "docker", "logs", name);
        assertTrue((logs.out() + logs.err()).matches("(?s).*Worker process \\d+ was killed by signal 9.*"),
                name + ": docker logs lack Dask's 'killed by signal 9'");
        // ... and Headroom reports that line with the container and in the finding
        JsonNode container = null;
        for (JsonNode each : host.get("containers")) {
            if (name.equals(each.get("name").asText())) {
                container = each;
            }
        }
        assertNotNull(container, name);
        boolean logged = false;
        for (JsonNode l : container.get("workerDeaths")) {
            logged |= l.asText().matches(".*Worker process \\d+ was killed by signal 9.*");
        }
        assertTrue(logged, name + ": workerDeaths lacks Dask's line: " + container.get("workerDeaths"));
        assertTrue(finding.get("message").asText().contains("was killed by signal 9"), finding.toString());
    }

    // ----------------------------------------------------------------------------- OVERCOMMIT

    @Test
    @Order(3)
    void twoWorkersThatFitAloneOvercommitTogether() throws Exception {
        long start = System.nanoTime();
        Lab.Result down = Lab.run(180, SCRIPT, "down", "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8");
        assertEquals(0, down.exit(), down.err());
        long downDone = System.nanoTime();
        Scenario s9 = SCENARIOS.get(9);
        JsonNode base = null;
        List<String> unlimited = List.of();
        for (int i = 0; i < 30; i++) {  // another lab user's unlimited Dask container suppresses OVERCOMMIT
            base = scan();
            unlimited = new ArrayList<>();
            for (JsonNode c : base.get("containers")) {
                if (c.get("cgroupLimitBytes").isNull()) {
                    unlimited.add(c.get("name").asText());
                }
            }
            if (unlimited.isEmpty() && containersOf(base, s9).size() == 2) {
                break;
            }
            Thread.sleep(2000);
        }
        assertTrue(unlimited.isEmpty(), "other unlimited Dask containers on this host make OVERCOMMIT impossible: " + unlimited);
        long sum = 0;
        for (JsonNode c : base.get("containers")) {
            sum += c.get("cgroupLimitBytes").asLong();
        }
        long others = sum - 12 * GIB;  // limits of Dask containers that are not s9's (e.g. hr-basic)
        long budget = base.get("budgetBytes").asLong();
        assertTrue(budget > 0 && budget < base.get("memTotalBytes").asLong(), "default budget not clamped: " + budget);
        long availablePlusWorkingSet = budget + base.get("reserveBytes").asLong();

        long reserve = availablePlusWorkingSet - (others + 9 * GIB);  // budget ≈ others + 9 GiB: one 6 GiB fits, two do not
        assertTrue(reserve > 0, "cannot make the budget small enough: MemAvailable + working sets = " + availablePlusWorkingSet);
        JsonNode tight = scan("--reserve", Long.toString(reserve));
        long tightBudget = tight.get("budgetBytes").asLong();
        System.err.printf("[truth] OVERCOMMIT: limits %d (s9 12 GiB + others %d), --reserve %d -> budget %d%n",
                sum, others, reserve, tightBudget);
        assertTrue(tightBudget > others + 6 * GIB && tightBudget < sum, "budget " + tightBudget + " not in ("
                + (others + 6 * GIB) + ", " + sum + ")");
        assertEquals(List.of("OVERCOMMIT"), codes(tight, null), "host-wide findings with budget " + tightBudget + ": "
                + tight.get("findings"));
        for (JsonNode c : containersOf(tight, s9)) {
            assertEquals(List.of(), codes(tight, c.get("name").asText()), "each 6 GiB limit fits the budget alone");
        }

        long roomy = availablePlusWorkingSet - (others + 14 * GIB);  // budget ≈ sum + 2 GiB
        if (roomy > 0) {
            JsonNode fits = scan("--reserve", Long.toString(roomy));
            assertTrue(fits.get("budgetBytes").asLong() >= sum, fits.get("budgetBytes").toString());
            assertFalse(codes(fits, null).contains("OVERCOMMIT"), "no OVERCOMMIT when the budget holds both: " + fits.get("findings"));
        } else {
            System.err.println("[truth] note: control scan skipped, other Dask limits leave no room for sum + 2 GiB");
        }
        System.err.printf("[truth] down s0-s8 %.0f s, OVERCOMMIT scans %.0f s%n", secs(start, downDone),
                secs(downDone, System.nanoTime()));
    }

    // -------------------------------------------------------------------------------- helpers

    private JsonNode scanUntilEveryWorkerIsVisible() throws Exception {
        String missing = "";
        for (int attempt = 0; attempt < 10; attempt++) {
            JsonNode h = scan();
            missing = "";
            for (Scenario s : SCENARIOS) {
                int workers = 0;
                for (JsonNode c : containersOf(h, s)) {
                    for (JsonNode w : c.get("daskWorkers")) {
                        if (w.get("pid").asInt() != w.get("launcherPid").asInt()) {
                            workers++;
                        }
                    }
                }
                if (workers != s.expectedWorkers()) {
                    missing += " " + s + " (" + workers + "/" + s.expectedWorkers() + ")";
                }
            }
            if (missing.isEmpty()) {
                return h;
            }
            Thread.sleep(2000);
        }
        return fail("worker processes not visible to Headroom:" + missing);
    }

    private JsonNode scan(String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("scan", "--json"));
        args.addAll(List.of(extra));
        args.add("local");
        Lab.Result r = Lab.headroom(args.toArray(String[]::new));
        assertTrue(r.exit() == 0 || r.exit() == 1, "headroom " + args + " exit " + r.exit() + ": " + r.err());
        scanText = r.out();
        JsonNode h = JSON.readTree(r.out()).get("hosts").get(0);
        assertTrue(h.get("scanned").asBoolean(), h.get("errors").toString());
        return h;
    }

    private List<JsonNode> containersOf(Scenario s) {
        List<JsonNode> list = containersOf(host, s);
        assertEquals(new TreeSet<>(s.findings().keySet()),
                new TreeSet<>(list.stream().map(c -> c.get("composeService").asText()).toList()),
                s + ": worker containers Headroom found");
        return list;
    }

    private static List<JsonNode> containersOf(JsonNode h, Scenario s) {
        List<JsonNode> list = new ArrayList<>();
        for (JsonNode c : h.get("containers")) {
            if (s.project().equals(c.get("composeProject").asText(null))) {
                list.add(c);
            }
        }
        return list;
    }

    private static List<String> codes(JsonNode h, String container) {
        List<String> codes = new ArrayList<>();
        for (JsonNode f : h.get("findings")) {
            String c = f.get("container").asText(null);
            if (container == null ? c == null && !f.get("severity").asText().equals("info") : container.equals(c)) {
                codes.add(f.get("code").asText());
            }
        }
        return codes;
    }

    private static JsonNode inspect(String id) throws IOException {
        Lab.Result r = Lab.run(30, "docker", "inspect", id);
        assertEquals(0, r.exit(), r.err());
        return JSON.readTree(r.out()).get(0);
    }

    private static String memoryCgroupOf(int pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "cgroup"))) {
            String[] p = line.split(":", 3);
            if (p.length == 3 && List.of(p[1].split(",")).contains("memory")) {
                return p[2];
            }
        }
        return fail("no memory cgroup for pid " + pid);
    }

    private static Long zeroIsNull(long v) {
        return v == 0 ? null : v;
    }

    private static Long unlimitedIsNull(String raw) {
        long v = Long.parseLong(raw.strip());
        return v == UNLIMITED_V1 ? null : v;
    }

    private static Long longOrNull(JsonNode n) {
        return n == null || n.isNull() ? null : n.asLong();
    }

    private static double secs(long from, long to) {
        return (to - from) / 1e9;
    }
}
