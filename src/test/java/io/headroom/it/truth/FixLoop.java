package io.headroom.it.truth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.cli.ExitCode;
import io.headroom.it.Lab;
import io.headroom.it.LabPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole fix loop in the lab, over real SSH, with the built jar, once per platform
 * ({@link FixLoopV1IT}, {@link FixLoopV2IT}): a Dask worker without a memory limit → {@code scan}
 * says NO_LIMIT → {@code fix --apply --restart} (env mode: .env +
 * {@code mem_limit: ${AVAILABLE_MEMORY_FOR_DASK:-0}}, validated by the VM's own compose, restarted
 * with it) → the new container's kernel cgroup limit, the predicted Dask budget and the scheduler's
 * {@code /json/identity.json} all equal the recommendation → {@code fix --rollback --restart} → the
 * original file is back and the limit is gone again; the audit log has every step → {@code fix --backups} and
 * {@code fix --rollback --to} (and its refusal after a hand edit on the VM).
 */
@Tag("lab")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FixLoop {
    static final String PROJECT = "hr-fixe2e";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The project; %1$s is the platform's x-host-system block, %2$s where the scheduler's dashboard is published. */
    private static final String COMPOSE = """
            # Headroom lab: the fix loop's project. The worker starts WITHOUT a memory limit.
            version: "2.4"
            x-host-system: &host-system
            %1$s
            services:
              scheduler:
                <<: *host-system
                command: ["dask-scheduler", "--host", "0.0.0.0", "--port", "8786", "--dashboard-address", ":8787"]
                ports:
                  - "%2$s:8787"
              worker:
                <<: *host-system
                command: ["dask-worker", "tcp://scheduler:8786", "--nthreads", "1", "--name", "fixe2e-worker"]
                depends_on:
                  - scheduler
            """;

    Path work;
    Map<String, String> env;

    abstract LabPlatform platform();

    /** Where the project lives on the platform. */
    abstract String projectDir();

    /** The lines under {@code x-host-system:} (image, environment, mounts). */
    abstract String hostSystemBlock();

    /** Where compose publishes the scheduler's dashboard on the platform ({@code [IP:]PORT}). */
    abstract String dashboardBinding();

    /** Its URL as Headroom (on this machine) reaches it. */
    abstract String dashboardUrl();

    /** Headroom's arguments naming the VM. */
    abstract List<String> target();

    /** Starts what the platform needs before the project (an sshd on v1). */
    abstract void startTransport() throws Exception;

    abstract void stopTransport();

    /** The kernel's hard limit of a container, as its cgroup file says. */
    abstract long kernelLimit(String containerId);

    @BeforeAll
    void up() throws Exception {
        platform().require();
        work = Files.createTempDirectory("headroom-fix-lab");
        env = Map.of("XDG_STATE_HOME", work.resolve("state").toString(), "XDG_CONFIG_HOME", work.resolve("config").toString());
        startTransport();
        String compose = String.format(COMPOSE, hostSystemBlock().indent(2).stripTrailing(), dashboardBinding());
        platform().shOk(60, "rm -rf " + projectDir() + " && mkdir -p " + projectDir() + " && cat > " + projectDir()
                + "/docker-compose.yml <<'HEADROOM_EOF'\n" + compose + "HEADROOM_EOF\n: > " + projectDir() + "/.env");
        Lab.Result r = compose("up -d");
        assertEquals(0, r.exit(), r.err());
        waitForWorker(null);
    }

    @AfterAll
    void down() {
        if (work != null) {
            compose("down -t 2");
            platform().sh(60, "rm -rf " + projectDir());
        }
        stopTransport();
    }

    private Lab.Result compose(String args) {
        return platform().sh(600, "cd " + projectDir() + " && " + platform().compose + " -p " + PROJECT + " " + args);
    }

    private String read(String file) {
        return platform().shOk(30, "cat " + projectDir() + "/" + file);
    }

    /** Waits until the scheduler lists the worker, with the given memory_limit when not null; returns it. */
    private long waitForWorker(Long expected) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                String body = http.send(HttpRequest.newBuilder(URI.create(dashboardUrl() + "/json/identity.json"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
                last = body;
                for (JsonNode w : JSON.readTree(body).path("workers")) {
                    long limit = w.path("memory_limit").asLong();
                    if ("fixe2e-worker".equals(w.path("name").asText()) && (expected == null || limit == expected)) {
                        return limit;
                    }
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("the scheduler never listed fixe2e-worker" + (expected == null ? "" : " with " + expected) + ": " + last);
    }

    private static JsonNode worker(JsonNode report) {
        for (JsonNode c : report.get("hosts").get(0).get("containers")) {
            if (PROJECT.equals(c.path("composeProject").asText()) && "worker".equals(c.path("composeService").asText())) {
                return c;
            }
        }
        throw new AssertionError("no " + PROJECT + " worker in " + report.toPrettyString());
    }

    private Lab.Result headroom(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(target());
        return Lab.headroom(env, all.toArray(String[]::new));
    }

    private JsonNode scan() throws Exception {
        Lab.Result r = headroom("scan", "--json", "--timeout", "240");
        assertTrue(r.exit() == 0 || r.exit() == 1, "scan exit " + r.exit() + ": " + r.err());
        return JSON.readTree(r.out());
    }

    private static boolean hasFinding(JsonNode report, String code, String container) {
        for (JsonNode f : report.get("hosts").get(0).get("findings")) {
            if (f.get("code").asText().equals(code) && container.equals(f.path("container").asText())) {
                return true;
            }
        }
        return false;
    }

    @Test
    void noLimitIsFixedVerifiedAndRolledBack() throws Exception {
        String original = read("docker-compose.yml");
        JsonNode before = scan();
        JsonNode w = worker(before);
        String name = w.get("name").asText();
        assertTrue(hasFinding(before, "NO_LIMIT", name), before.get("hosts").get(0).get("findings").toPrettyString());

        Lab.Result fix = headroom("fix", "--apply", "--restart", "--project", PROJECT, "--scheduler", dashboardUrl(),
                "--timeout", "240");
        System.err.println("[fix-lab " + platform() + "] fix --apply --restart exit " + fix.exit() + "\n" + fix.out() + fix.err());
        assertTrue(fix.exit() == 0 || fix.exit() == 1, fix.err());
        Matcher m = Pattern.compile("services \\[worker]: mem_limit (\\d+) bytes").matcher(fix.out());
        assertTrue(m.find(), fix.out());
        long recommended = Long.parseLong(m.group(1));
        assertTrue(fix.out().contains("# verification OK"), fix.out());
        assertTrue(read("docker-compose.yml").contains("mem_limit: ${AVAILABLE_MEMORY_FOR_DASK:-0}"));
        assertEquals("AVAILABLE_MEMORY_FOR_DASK=" + recommended + "\n", read(".env"));

        // independent of Headroom's own verification: a fresh scan, the kernel file, the scheduler
        JsonNode after = scan();
        JsonNode fixed = worker(after);
        JsonNode daskWorker = fixed.get("daskWorkers").get(0);
        assertEquals(recommended, fixed.get("cgroupLimitBytes").asLong());
        assertEquals(recommended, kernelLimit(fixed.get("id").asText()), "the kernel's hard limit");
        assertEquals(recommended, daskWorker.get("systemLimitBytes").asLong(), "Dask's system limit is the new cgroup limit");
        // memory_limit="auto": system limit × min(1, nthreads / cpu_count) (distributed/worker_memory.py
        // parse_memory_limit); the predicted budget must be what the scheduler reports
        long predicted = daskWorker.get("memoryLimitBytes").asLong();
        assertEquals(predicted, waitForWorker(predicted), "Dask's identity.json memory_limit");
        assertTrue(predicted <= recommended && predicted > 0, predicted + " vs " + recommended);
        assertTrue(!hasFinding(after, "NO_LIMIT", fixed.get("name").asText()), "NO_LIMIT is gone");

        Lab.Result back = headroom("fix", "--rollback", "--restart", "--project", PROJECT, "--timeout", "240");
        System.err.println("[fix-lab " + platform() + "] fix --rollback --restart exit " + back.exit() + "\n" + back.out() + back.err());
        assertEquals(0, back.exit(), back.out() + back.err());
        assertEquals(original, read("docker-compose.yml"));
        assertEquals("", read(".env"), "the .env holds no value again");
        long hostLimit = waitForWorker(null);
        JsonNode rolled = scan();
        JsonNode again = worker(rolled);
        assertTrue(hasFinding(rolled, "NO_LIMIT", again.get("name").asText()), "NO_LIMIT is back after the rollback");
        assertTrue(hostLimit > recommended || again.path("cgroupLimitBytes").isNull() || again.path("cgroupLimitBytes").isMissingNode(),
                "no limit again: " + again);

        String audit = Files.readString(work.resolve("state/headroom/audit.jsonl"));
        for (String action : new String[]{"\"action\":\"apply\"", "\"action\":\"restart worker\"", "\"action\":\"rollback\""}) {
            assertTrue(audit.contains(action), action + " in " + audit);
        }
        rollbackThroughHistory(original);
    }

    /**
     * Issue 17 on the platform: {@code fix --backups} lists the push's backups with hash and who pushed;
     * {@code fix --rollback --to} puts a chosen one back under the VM's lock while the file is what Headroom
     * wrote, and refuses, leaving the file as it is, once it was changed by hand on the VM.
     */
    private void rollbackThroughHistory(String original) {
        Lab.Result list = headroom("fix", "--backups", "--project", PROJECT);
        System.err.println("[fix-lab " + platform() + "] fix --backups exit " + list.exit() + "\n" + list.out() + list.err());
        assertEquals(0, list.exit(), list.out() + list.err());
        Matcher b = Pattern.compile("(?m)^(/\\S*/docker-compose\\.yml\\.headroom-\\d{8}T\\d{6}Z(?:-\\d+)?\\.bak)  \\S+  sha256 [0-9a-f]{12}…  (.+)$")
                .matcher(list.out());
        assertTrue(b.find(), "a backup of docker-compose.yml listed with time, sha256 and who pushed: " + list.out());
        assertTrue(b.group(2).contains("pushed by"), b.group());
        assertTrue(list.out().contains(projectDir() + "/.env.headroom-"), ".env's backup listed: " + list.out());
        String backup = b.group(1);

        Lab.Result to = headroom("fix", "--rollback", "--to", backup);
        assertEquals(0, to.exit(), to.out() + to.err());
        assertTrue(to.out().contains("restored " + projectDir() + "/docker-compose.yml from " + backup), to.out());
        assertEquals(original, read("docker-compose.yml"));

        platform().shOk(30, "echo '# changed by hand' >> " + projectDir() + "/docker-compose.yml");
        Lab.Result refused = headroom("fix", "--rollback", "--to", backup);
        System.err.println("[fix-lab " + platform() + "] fix --rollback --to after a hand edit exit " + refused.exit() + "\n" + refused.out() + refused.err());
        assertEquals(ExitCode.UNREACHABLE, refused.exit(), refused.out() + refused.err());
        assertTrue((refused.out() + refused.err()).contains("is not the file Headroom wrote there"), refused.out() + refused.err());
        assertEquals(original + "# changed by hand\n", read("docker-compose.yml"), "a refused rollback leaves the file as it is");
    }
}
