package io.headroom.it.truth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.it.Lab;
import io.headroom.it.LabPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * Truth tests, once per lab platform ({@link ScenarioTruthV1IT}, {@link ScenarioTruthV2IT}): every
 * scenario of {@code lab/scenarios} (one compose project per stand-in VM, each with its own
 * scheduler) is brought up, the OOM scenario is driven into a kernel OOM kill, and
 * {@code headroom scan --json} (local on v1, over SSH on v2) is compared with what really happened:
 * <ul>
 *   <li>each worker's predicted {@code memoryLimitBytes} equals, byte for byte, the
 *       {@code memory_limit} its scheduler's {@code /json/identity.json} reports (and, for s7, what
 *       {@code client.run(lambda dask_worker: dask_worker.memory_manager.memory_limit)} returns);</li>
 *   <li>each container's {@code cgroupLimitBytes} equals {@code docker inspect}'s
 *       {@code HostConfig.Memory} and the kernel's file (v1 {@code memory.limit_in_bytes}, v2
 *       {@code memory.max}), its reservation the v1 soft limit / v2 {@code memory.low};</li>
 *   <li>each container gets exactly the findings its scenario is built to produce.</li>
 * </ul>
 * The scenarios come up in batches no bigger than {@link #processBudget()} Dask processes (the v2
 * VM emulates its CPUs: one idle scenario costs ~0.6 of them); what each batch showed is kept as
 * evidence while it is up, the assertions run on that evidence. OVERCOMMIT is host-wide and
 * suppressed by any unlimited container, so it is checked last, with only s9 up and {@code --reserve}
 * chosen from the scan so that the budget lies between one and two of its limits (no real memory is
 * allocated). Each class writes its table of predicted vs reported budgets to
 * {@code target/lab-truth/PLATFORM.md} ({@code lab/truth-table} puts both into lab/README.md).
 */
@Tag("lab")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ScenarioTruth {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** memory.limit_in_bytes of an unlimited v1 cgroup (PAGE_COUNTER_MAX × 4 KiB). */
    private static final long UNLIMITED_V1 = 9223372036854771712L;
    private static final Pattern CONTAINER_ID = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern CGROUP_DIR = Pattern.compile("/sys/fs/cgroup/[A-Za-z0-9_./@:-]+");
    /** The scenario whose two workers are also asked through a Dask client. */
    private static final String CLIENT_RUN_SCENARIO = "s7-nworkers";

    static final List<Scenario> ALL = List.of(
            new Scenario("s0-oom-kill", Map.of("worker", Set.of("OOM_KILLS"))),
            new Scenario("s1-no-limit", Map.of("worker", Set.of("NO_LIMIT"))),
            // --nthreads 1 on the lab's 2 CPUs: Dask's auto budget is half the limit (identity.json proves it)
            new Scenario("s2-seed-env", Map.of("worker", Set.of("DASK_USES_FRACTION_OF_LIMIT"))),
            new Scenario("s3-limit-above-host", Map.of("worker", Set.of("LIMIT_ABOVE_AVAILABLE"))),
            new Scenario("s4-reservation", Map.of("worker", Set.of("RESERVATION_SHRINKS_DASK"))),
            new Scenario("s5-unit-confusion", Map.of("worker-gib", Set.of(), "worker-g", Set.of("UNIT_CONFUSION"))),
            new Scenario("s6-fraction", Map.of("worker", Set.of())),
            new Scenario("s7-nworkers", Map.of("worker", Set.of())),
            new Scenario("s8-dask-above-cgroup", Map.of("worker", Set.of("DASK_LIMIT_ABOVE_CGROUP"))),
            new Scenario("s10-deploy-limits", Map.of("worker", Set.of())),
            new Scenario("s11-memory-limit-forms", Map.of("worker-bytes", Set.of(), "worker-decimal", Set.of(),
                    "worker-fraction", Set.of("DASK_LIMIT_ABOVE_CGROUP"))),
            new Scenario("s12-rlimit-rss", Map.of("worker", Set.of("RLIMIT_SHRINKS_DASK"))),
            new Scenario("s9-overcommit", Map.of("worker-a", Set.of("DASK_USES_FRACTION_OF_LIMIT"),
                    "worker-b", Set.of("DASK_USES_FRACTION_OF_LIMIT"))));

    /** What one container showed while its batch was up. */
    record Evidence(JsonNode inspect, Map<String, String> kernelFiles, Map<Integer, String> cgroupOfPid, String logs) {
    }

    /** What one scenario showed while its batch was up. */
    record Observation(JsonNode host, JsonNode identity, Map<String, Evidence> containers, JsonNode clientRun) {
    }

    private final Map<String, Observation> observed = new LinkedHashMap<>();
    private final Set<String> up = new TreeSet<>();
    private final List<String> table = new ArrayList<>();
    private boolean started;
    private long t0;

    abstract LabPlatform platform();

    /** At most this many Dask processes up at once ({@link Scenario#processes()}); s9 always comes last. */
    abstract int processBudget();

    List<Scenario> scenarios() {
        return ALL.stream().filter(s -> s.runsOn(platform())).toList();
    }

    @BeforeAll
    void observeEveryScenario() throws Exception {
        platform().require();
        t0 = System.nanoTime();
        started = true;
        List<List<Scenario>> batches = batches();
        for (List<Scenario> batch : batches) {
            long b0 = System.nanoTime();
            String[] names = batch.stream().map(Scenario::name).toArray(String[]::new);
            Lab.Result r = platform().scenarios(900, concat("up", names));
            up.addAll(List.of(names));
            assertEquals(0, r.exit(), platform() + ": lab/scenarios up " + List.of(names) + " failed:\n" + r.err());
            long tUp = System.nanoTime();
            if (batch.stream().anyMatch(s -> s.name().equals("s0-oom-kill"))) {
                Lab.Result oom = platform().scenarios(300, "oom");
                assertEquals(0, oom.exit(), platform() + ": lab/scenarios oom failed:\n" + oom.out() + oom.err());
            }
            long tOom = System.nanoTime();
            JsonNode host = scanUntilEveryWorkerIsVisible(batch);
            for (Scenario s : batch) {
                Map<String, Evidence> evidence = new LinkedHashMap<>();
                for (JsonNode c : containersOf(host, s)) {
                    evidence.put(c.get("name").asText(), evidence(c, s.name().equals("s0-oom-kill")));
                }
                JsonNode clientRun = s.name().equals(CLIENT_RUN_SCENARIO) ? clientRun(s) : null;
                observed.put(s.name(), new Observation(host, s.identity(platform()), evidence, clientRun));
            }
            boolean last = batch == batches.get(batches.size() - 1);
            if (!last) {
                down(names);
            }
            System.err.printf("[truth %s] %s: up %.0f s, oom %.0f s, scan + evidence %.0f s%s%n", platform(), List.of(names),
                    secs(b0, tUp), secs(tUp, tOom), secs(tOom, System.nanoTime()), last ? "" : ", down");
        }
    }

    @AfterAll
    void downAndWriteTable() throws IOException {
        if (!started) {
            return;
        }
        Lab.Result r = platform().scenarios(300, concat("down", up.toArray(String[]::new)));
        System.err.printf("[truth %s] total with down %.0f s%s%n", platform(), secs(t0, System.nanoTime()),
                r.exit() == 0 ? "" : " (down failed: " + r.err().strip() + ")");
        Path out = Path.of("target", "lab-truth", platform().id + ".md");
        Files.createDirectories(out.getParent());
        Files.write(out, table);
    }

    /** Scenarios in order, s9 last and alone unless every scenario fits the budget at once. */
    private List<List<Scenario>> batches() {
        List<List<Scenario>> batches = new ArrayList<>();
        List<Scenario> current = new ArrayList<>();
        int load = 0;
        int total = scenarios().stream().mapToInt(Scenario::processes).sum();
        for (Scenario s : scenarios()) {
            boolean s9Alone = s.name().equals("s9-overcommit") && total > processBudget();
            if (!current.isEmpty() && (load + s.processes() > processBudget() || s9Alone)) {
                batches.add(current);
                current = new ArrayList<>();
                load = 0;
            }
            current.add(s);
            load += s.processes();
        }
        batches.add(current);
        return batches;
    }

    // ------------------------------------------------------------------ every worker, every scenario

    @TestFactory
    @Order(1)
    Stream<DynamicContainer> everyScenario() {
        return scenarios().stream().map(s -> {
            List<DynamicTest> tests = new ArrayList<>(List.of(
                    dynamicTest("cgroupLimitBytes = docker inspect = the kernel's file", () -> cgroupTruth(s)),
                    dynamicTest("memoryLimitBytes = scheduler's memory_limit, byte for byte", () -> daskTruth(s)),
                    dynamicTest("findings " + new TreeMap<>(s.findings()), () -> findingTruth(s))));
            if (s.name().equals(CLIENT_RUN_SCENARIO)) {
                tests.add(dynamicTest("memoryLimitBytes = client.run(dask_worker.memory_manager.memory_limit)", () -> clientRunTruth(s)));
            }
            return DynamicContainer.dynamicContainer(s.name(), tests.stream());
        });
    }

    private void cgroupTruth(Scenario s) {
        Observation o = observation(s);
        for (JsonNode c : containersOf(o.host(), s)) {
            String name = c.get("name").asText();
            Evidence e = o.containers().get(name);
            Long engine = zeroIsNull(e.inspect().at("/HostConfig/Memory").asLong());
            Long engineReservation = zeroIsNull(e.inspect().at("/HostConfig/MemoryReservation").asLong());
            String dir = c.get("cgroupDirectory").asText();
            String hardFile = platform().cgroupVersion == 2 ? "memory.max" : "memory.limit_in_bytes";
            String reservationFile = platform().cgroupVersion == 2 ? "memory.low" : "memory.soft_limit_in_bytes";
            Long kernel = limitOrNull(e.kernelFiles().get(hardFile));
            Long kernelReservation = limitOrNull(e.kernelFiles().get(reservationFile));
            assertEquals(engine, longOrNull(c.get("cgroupLimitBytes")), name + ": cgroupLimitBytes vs docker inspect HostConfig.Memory");
            assertEquals(kernel, longOrNull(c.get("cgroupLimitBytes")), name + ": cgroupLimitBytes vs " + dir + "/" + hardFile);
            assertEquals(engine, longOrNull(c.get("engineMemoryBytes")), name + ": engineMemoryBytes");
            assertEquals(engineReservation, longOrNull(c.get("engineReservationBytes")), name + ": engineReservationBytes");
            assertEquals(engineReservation, kernelReservation, name + ": docker's reservation is the kernel's " + reservationFile);
            if (platform().cgroupVersion == 2) {
                assertEquals(kernelReservation, longOrNull(c.get("memoryLowBytes")), name + ": memoryLowBytes vs memory.low");
                assertEquals(limitOrNull(e.kernelFiles().get("memory.high")), longOrNull(c.get("memoryHighBytes")),
                        name + ": memoryHighBytes vs memory.high");
                assertTrue(dir.matches("/sys/fs/cgroup/system\\.slice/docker-" + c.get("id").asText() + "\\.scope"),
                        name + ": Docker's systemd driver puts the container in system.slice/docker-<id>.scope, not " + dir);
            } else {
                assertEquals(kernelReservation, longOrNull(c.get("softLimitBytes")), name + ": softLimitBytes vs memory.soft_limit_in_bytes");
            }
            assertEquals(platform().cgroupVersion, c.get("cgroupVersion").asInt(), name);
            // the directory is the one the worker processes really live in
            for (JsonNode w : c.get("daskWorkers")) {
                int pid = w.get("pid").asInt();
                assertEquals(dir, platform().cgroupDirectory(e.cgroupOfPid().get(pid)), name + ": cgroup of pid " + pid);
            }
        }
    }

    private void daskTruth(Scenario s) {
        Observation o = observation(s);
        List<JsonNode> all = new ArrayList<>();
        o.identity().get("workers").forEach(all::add);
        assertEquals(s.expectedWorkers(), all.size(), s + ": workers listed by the scheduler");
        int matched = 0;
        for (JsonNode c : containersOf(o.host(), s)) {
            String name = c.get("name").asText();
            String service = c.get("composeService").asText();
            Set<String> ips = new TreeSet<>();
            o.containers().get(name).inspect().at("/NetworkSettings/Networks").forEach(n -> ips.add(n.get("IPAddress").asText()));
            List<JsonNode> mine = all.stream().filter(w -> {
                String n = w.get("name").asText();
                return n.equals(service) || n.matches(Pattern.quote(service) + "-\\d+");
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
            String version = "?";
            for (JsonNode w : workerProcesses(c)) {
                predicted.add(w.get("memoryLimitBytes").asText());
                threadsPredicted.add(w.get("nthreads").asText());
                version = w.path("daskVersion").asText("?");
            }
            fromDask.sort(null);
            predicted.sort(null);
            threadsDask.sort(null);
            threadsPredicted.sort(null);
            table.add(String.format("| %s | %s | %s | %s | %s | %s | %s |", s.name(), service, platform(), version,
                    String.join(", ", predicted), String.join(", ", fromDask), fromDask.equals(predicted) ? "yes" : "**no**"));
            assertEquals(fromDask, predicted, name + ": Headroom's memoryLimitBytes vs Dask's memory_limit; derivation "
                    + c.get("daskWorkers").get(0).get("derivation"));
            assertEquals(threadsDask, threadsPredicted, name + ": nthreads");
        }
        assertEquals(all.size(), matched, s + ": every worker of the scheduler belongs to one container");
    }

    private void clientRunTruth(Scenario s) {
        Observation o = observation(s);
        List<Long> fromDask = new ArrayList<>();
        o.clientRun().forEach(v -> fromDask.add(v.asLong()));
        List<Long> predicted = new ArrayList<>();
        for (JsonNode c : containersOf(o.host(), s)) {
            for (JsonNode w : workerProcesses(c)) {
                predicted.add(w.get("memoryLimitBytes").asLong());
            }
        }
        fromDask.sort(null);
        predicted.sort(null);
        assertEquals(fromDask, predicted, s + ": client.run(lambda dask_worker: dask_worker.memory_manager.memory_limit) " + o.clientRun());
    }

    private void findingTruth(Scenario s) {
        Observation o = observation(s);
        JsonNode host = o.host();
        for (JsonNode c : containersOf(host, s)) {
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
            String dotEnv = s.directory(platform()) + "/.env";
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
        Scenario s0 = scenarios().get(0);
        Observation o = observation(s0);
        JsonNode host = o.host();
        JsonNode c = containersOf(host, s0).get(0);
        String id = c.get("id").asText();
        String name = c.get("name").asText();
        assertTrue(c.get("oomKills").asLong() >= 1, name + ": the cgroup's oom_kill counter " + c.get("oomKills"));
        List<JsonNode> events = new ArrayList<>();
        host.get("oomEvents").forEach(e -> {
            if (id.equals(e.get("containerId").asText(null))) {
                events.add(e);
            }
        });
        assertFalse(events.isEmpty(), name + ": no kernel OOM line attributed to " + id + " in " + host.get("oomEvents"));
        JsonNode last = events.get(events.size() - 1);
        String memcg = last.get("memcg").asText();
        assertEquals(platform().cgroupVersion == 2 ? "/system.slice/docker-" + id + ".scope" : memcg, memcg,
                "v2: the kernel names the container's systemd scope");
        assertTrue(memcg.contains(id), last.toString());
        assertTrue(last.get("line").asText().contains("Killed process"), last.toString());
        // The engine's State.OOMKilled when only a worker (not the container's first process, the
        // nanny) was killed: podman 4.3 (v1) leaves it false, Docker Engine 26 on cgroup v2 sets it
        // from the cgroup's memory.events oom_kill, so it is true although the container runs on.
        assertEquals(platform() == LabPlatform.V2, c.get("oomKilled").asBoolean(), name + ": State.OOMKilled on " + platform());
        JsonNode finding = null;
        for (JsonNode f : host.get("findings")) {
            if (f.get("code").asText().equals("OOM_KILLS") && name.equals(f.get("container").asText(null))) {
                finding = f;
            }
        }
        assertNotNull(finding, "OOM_KILLS for " + name);
        assertTrue(finding.get("message").asText().contains(last.get("line").asText()), finding.toString());
        // Dask's own account of it: the nanny logs the signal (distributed/nanny.py _on_exit_sync)
        assertTrue(o.containers().get(name).logs().matches("(?s).*Worker process \\d+ was killed by signal 9.*"),
                name + ": docker logs lack Dask's 'killed by signal 9'");
        boolean logged = false;
        for (JsonNode l : c.get("workerDeaths")) {
            logged |= l.asText().matches(".*Worker process \\d+ was killed by signal 9.*");
        }
        assertTrue(logged, name + ": workerDeaths lacks Dask's line: " + c.get("workerDeaths"));
        assertTrue(finding.get("message").asText().contains("was killed by signal 9"), finding.toString());
    }

    // ----------------------------------------------------------------------------- OVERCOMMIT

    @Test
    @Order(3)
    void twoWorkersThatFitAloneOvercommitTogether() throws Exception {
        long start = System.nanoTime();
        Scenario s9 = scenarios().stream().filter(s -> s.name().equals("s9-overcommit")).findFirst().orElseThrow();
        List<String> others = new ArrayList<>(up);
        others.remove(s9.name());
        if (!others.isEmpty()) {
            down(others.toArray(String[]::new));
        }
        long downDone = System.nanoTime();
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
        long limit = containersOf(base, s9).get(0).get("cgroupLimitBytes").asLong();  // 6 GiB on v1, 1 GiB on v2
        long othersSum = sum - 2 * limit;  // limits of Dask containers that are not s9's (e.g. hr-basic)
        long budget = base.get("budgetBytes").asLong();
        assertTrue(budget > 0 && budget < base.get("memTotalBytes").asLong(), "default budget not clamped: " + budget);
        long availablePlusWorkingSet = budget + base.get("reserveBytes").asLong();

        long reserve = availablePlusWorkingSet - (othersSum + limit * 3 / 2);  // one limit fits, two do not
        assertTrue(reserve > 0, "cannot make the budget small enough: MemAvailable + working sets = " + availablePlusWorkingSet);
        JsonNode tight = scan("--reserve", Long.toString(reserve));
        long tightBudget = tight.get("budgetBytes").asLong();
        System.err.printf("[truth %s] OVERCOMMIT: limits %d (s9 2 x %d + others %d), --reserve %d -> budget %d%n",
                platform(), sum, limit, othersSum, reserve, tightBudget);
        assertTrue(tightBudget > othersSum + limit && tightBudget < sum, "budget " + tightBudget + " not in ("
                + (othersSum + limit) + ", " + sum + ")");
        assertEquals(List.of("OVERCOMMIT"), codes(tight, null), "host-wide findings with budget " + tightBudget + ": "
                + tight.get("findings"));
        for (JsonNode c : containersOf(tight, s9)) {
            // only what s9 expects anyway (DASK_USES_FRACTION_OF_LIMIT: 1 thread of 2 CPUs), no limit finding
            assertEquals(new TreeSet<>(s9.findings().get(c.get("composeService").asText())),
                    new TreeSet<>(codes(tight, c.get("name").asText())), "each limit fits the budget alone");
        }

        long roomy = availablePlusWorkingSet - (sum + limit / 3);  // budget ≈ both limits + a third of one
        assertTrue(roomy > 0, "no room for the control scan: MemAvailable + working sets = " + availablePlusWorkingSet);
        JsonNode fits = scan("--reserve", Long.toString(roomy));
        assertTrue(fits.get("budgetBytes").asLong() >= sum, fits.get("budgetBytes").toString());
        assertFalse(codes(fits, null).contains("OVERCOMMIT"), "no OVERCOMMIT when the budget holds both: " + fits.get("findings"));
        System.err.printf("[truth %s] down of the others %.0f s, OVERCOMMIT scans %.0f s%n", platform(), secs(start, downDone),
                secs(downDone, System.nanoTime()));
    }

    // -------------------------------------------------------------------------------- helpers

    private Observation observation(Scenario s) {
        Observation o = observed.get(s.name());
        assertNotNull(o, s + " was not observed (its batch failed to come up)");
        return o;
    }

    private void down(String... names) {
        Lab.Result r = platform().scenarios(300, concat("down", names));
        assertEquals(0, r.exit(), platform() + ": lab/scenarios down failed:\n" + r.err());
        up.removeAll(List.of(names));
    }

    /** docker inspect, the kernel's memory files and each Dask process's cgroup, in one command on the platform. */
    private Evidence evidence(JsonNode c, boolean withLogs) throws IOException {
        String id = c.get("id").asText();
        String dir = c.get("cgroupDirectory").asText();
        assertTrue(CONTAINER_ID.matcher(id).matches() && CGROUP_DIR.matcher(dir).matches(), c.toString());
        List<String> files = platform().cgroupVersion == 2 ? List.of("memory.max", "memory.low", "memory.high")
                : List.of("memory.limit_in_bytes", "memory.soft_limit_in_bytes");
        StringBuilder script = new StringBuilder("set -e; docker inspect " + id + "; echo @@FILES");
        for (String f : files) {
            script.append("; printf '%s ' ").append(f).append("; cat ").append(dir).append('/').append(f);
        }
        for (JsonNode w : c.get("daskWorkers")) {
            int pid = w.get("pid").asInt();
            script.append("; echo @@PID ").append(pid).append("; cat /proc/").append(pid).append("/cgroup");
        }
        if (withLogs) {
            script.append("; echo @@LOGS; docker logs ").append(id).append(" 2>&1 | tail -n 2000");
        }
        String out = platform().shOk(120, script.toString());
        int filesAt = out.indexOf("\n@@FILES\n");
        JsonNode inspect = JSON.readTree(out.substring(0, filesAt)).get(0);
        Map<String, String> kernel = new TreeMap<>();
        Map<Integer, String> cgroups = new TreeMap<>();
        String logs = "";
        String rest = out.substring(filesAt + "\n@@FILES\n".length());
        int logsAt = rest.indexOf("@@LOGS\n");
        if (logsAt >= 0) {
            logs = rest.substring(logsAt + "@@LOGS\n".length());
            rest = rest.substring(0, logsAt);
        }
        String[] parts = rest.split("@@PID ");
        for (String line : parts[0].split("\n")) {
            String[] kv = line.strip().split(" ", 2);
            if (kv.length == 2) {
                kernel.put(kv[0], kv[1].strip());
            }
        }
        for (int i = 1; i < parts.length; i++) {
            int nl = parts[i].indexOf('\n');
            int pid = Integer.parseInt(parts[i].substring(0, nl).strip());
            cgroups.put(pid, cgroupFromProcFile(parts[i].substring(nl + 1)));
        }
        return new Evidence(inspect, kernel, cgroups, logs);
    }

    /** The v1 memory cgroup or the v2 unified cgroup named by a /proc/PID/cgroup text. */
    private String cgroupFromProcFile(String text) {
        for (String line : text.split("\n")) {
            String[] p = line.split(":", 3);
            if (p.length == 3 && (platform().cgroupVersion == 2 ? p[0].equals("0") && p[1].isEmpty()
                    : List.of(p[1].split(",")).contains("memory"))) {
                return p[2].strip();
            }
        }
        return fail(platform() + ": no memory cgroup in " + text);
    }

    /** Each worker's memory_limit as Dask's own WorkerMemoryManager holds it (distributed/worker_memory.py). */
    private JsonNode clientRun(Scenario s) throws IOException {
        String port = s.meta().get("SCHEDULER_PORT");
        String out = platform().shOk(180, "/usr/bin/python3 -c 'import json, distributed\n"
                + "with distributed.Client(\"tcp://127.0.0.1:" + port + "\", timeout=120) as c:\n"
                + "    print(json.dumps(list(c.run(lambda dask_worker: dask_worker.memory_manager.memory_limit).values())))'");
        String[] lines = out.strip().split("\n");
        return JSON.readTree(lines[lines.length - 1]);
    }

    private JsonNode scanUntilEveryWorkerIsVisible(List<Scenario> batch) throws Exception {
        String missing = "";
        for (int attempt = 0; attempt < 15; attempt++) {
            JsonNode h = scan();
            missing = "";
            for (Scenario s : batch) {
                int workers = 0;
                for (JsonNode c : containersOf(h, s)) {
                    workers += workerProcesses(c).size();
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
        return fail(platform() + ": worker processes not visible to Headroom:" + missing);
    }

    /** The worker processes (not the launcher that started them) of a container in the scan. */
    private static List<JsonNode> workerProcesses(JsonNode c) {
        List<JsonNode> list = new ArrayList<>();
        for (JsonNode w : c.get("daskWorkers")) {
            if (w.get("pid").asInt() != w.get("launcherPid").asInt()) {
                list.add(w);
            }
        }
        return list;
    }

    private JsonNode scan(String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("scan", "--json", "--timeout", "240"));
        args.addAll(List.of(extra));
        args.addAll(platform().target());
        Lab.Result r = Lab.headroom(args.toArray(String[]::new));
        assertTrue(r.exit() == 0 || r.exit() == 1, "headroom " + args + " exit " + r.exit() + ": " + r.err());
        JsonNode h = JSON.readTree(r.out()).get("hosts").get(0);
        assertTrue(h.get("scanned").asBoolean(), h.get("errors").toString());
        return h;
    }

    private static List<JsonNode> containersOf(JsonNode h, Scenario s) {
        List<JsonNode> list = new ArrayList<>();
        for (JsonNode c : h.get("containers")) {
            if (s.project().equals(c.get("composeProject").asText(null))) {
                list.add(c);
            }
        }
        assertEquals(new TreeSet<>(s.findings().keySet()),
                new TreeSet<>(list.stream().map(c -> c.get("composeService").asText()).toList()),
                s + ": worker containers Headroom found");
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

    private static String[] concat(String first, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private static Long zeroIsNull(long v) {
        return v == 0 ? null : v;
    }

    /** A kernel limit file's value: null for v1's unlimited, v2's "max" and an unset (0) memory.low. */
    private static Long limitOrNull(String raw) {
        assertNotNull(raw, "a kernel file was not read");
        String v = raw.strip();
        if (v.equals("max")) {
            return null;
        }
        Matcher m = Pattern.compile("\\d+").matcher(v);
        assertTrue(m.matches(), "not a kernel limit: " + v);
        long n = Long.parseLong(v);
        return n == UNLIMITED_V1 || n == 0 ? null : n;
    }

    private static Long longOrNull(JsonNode n) {
        return n == null || n.isNull() ? null : n.asLong();
    }

    private static double secs(long from, long to) {
        return (to - from) / 1e9;
    }
}
