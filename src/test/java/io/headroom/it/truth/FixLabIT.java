package io.headroom.it.truth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.it.Lab;
import io.headroom.ssh.OpenSshServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole fix loop in the lab, over a real sshd, with the built jar: a Dask worker without a
 * memory limit → {@code scan} says NO_LIMIT → {@code fix --apply --restart} (env mode: .env +
 * {@code mem_limit: ${AVAILABLE_MEMORY_FOR_DASK:-0}}) → the new container's kernel cgroup limit, the
 * predicted Dask budget and the scheduler's {@code /json/identity.json} all equal the recommendation
 * → {@code fix --rollback --restart} → the original file is back and the limit is gone again.
 */
class FixLabIT {
    private static final String PROJECT = "hr-fixe2e";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static OpenSshServer server;
    private static Path work;
    private static Path dir;
    private static Path sshConfig;
    private static int dashboard;
    private static Map<String, String> env;

    private static final String COMPOSE = """
            # Headroom lab: the fix loop's project. The worker starts WITHOUT a memory limit.
            version: "2.4"
            x-host-system: &host-system
              image: localhost/headroom-dask:2022.12.1
              working_dir: /tmp
              environment:
                HOME: /tmp
                PYTHONDONTWRITEBYTECODE: "1"
              volumes:
                - /usr:/usr:ro
                - /etc:/etc:ro
            services:
              scheduler:
                <<: *host-system
                command: ["dask-scheduler", "--host", "0.0.0.0", "--port", "8786", "--dashboard-address", ":8787"]
                ports:
                  - "127.0.0.1:%d:8787"
              worker:
                <<: *host-system
                command: ["dask-worker", "tcp://scheduler:8786", "--nthreads", "1", "--name", "fixe2e-worker"]
                depends_on:
                  - scheduler
            """;

    @BeforeAll
    static void up() throws Exception {
        Lab.requireDocker();
        server = OpenSshServer.start();
        work = Files.createTempDirectory("headroom-fix-lab");
        dir = Files.createDirectories(work.resolve("project"));
        try (ServerSocket s = new ServerSocket(0)) {
            dashboard = s.getLocalPort();
        }
        Files.writeString(dir.resolve("docker-compose.yml"), String.format(COMPOSE, dashboard));
        Path knownHosts = work.resolve("known_hosts");
        Files.writeString(knownHosts, server.knownHostsLine() + "\n");
        sshConfig = work.resolve("ssh_config");
        Files.writeString(sshConfig, "Host vm\n  HostName 127.0.0.1\n  Port " + server.port + "\n  User root\n  IdentityFile "
                + server.clientKey + "\n  UserKnownHostsFile " + knownHosts + "\n  StrictHostKeyChecking yes\n  BatchMode yes\n");
        env = Map.of("XDG_STATE_HOME", work.resolve("state").toString(), "XDG_CONFIG_HOME", work.resolve("config").toString());
        Lab.Result r = Lab.run(300, "docker-compose", "-p", PROJECT, "-f", dir.resolve("docker-compose.yml").toString(), "up", "-d");
        assertEquals(0, r.exit(), r.err());
        waitForWorker(null);
    }

    @AfterAll
    static void down() {
        if (dir != null) {
            Lab.run(300, "docker-compose", "-p", PROJECT, "-f", dir.resolve("docker-compose.yml").toString(), "down", "-t", "2");
        }
        if (server != null) {
            server.close();
        }
    }

    /** Waits until the scheduler lists the worker, with the given memory_limit when not null; returns it. */
    private static long waitForWorker(Long expected) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + dashboard + "/json/identity.json"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
                last = body;
                JsonNode workers = JSON.readTree(body).path("workers");
                var it = workers.elements();
                while (it.hasNext()) {
                    JsonNode w = it.next();
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
            if (c.get("name").asText().startsWith(PROJECT + "_worker")) {
                return c;
            }
        }
        throw new AssertionError("no " + PROJECT + " worker in " + report.toPrettyString());
    }

    private static JsonNode scan() throws Exception {
        Lab.Result r = Lab.headroom(env, "scan", "--json", "--ssh-config", sshConfig.toString(), "vm");
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

    private static long kernelLimit(String containerId) throws IOException {
        Path v1 = Path.of("/sys/fs/cgroup/memory/libpod_parent/libpod-" + containerId + "/memory.limit_in_bytes");
        return Long.parseLong(Files.readString(v1).strip());
    }

    @Test
    void noLimitIsFixedVerifiedAndRolledBack() throws Exception {
        String original = Files.readString(dir.resolve("docker-compose.yml"));
        JsonNode before = scan();
        JsonNode w = worker(before);
        String name = w.get("name").asText();
        assertTrue(hasFinding(before, "NO_LIMIT", name), before.get("hosts").get(0).get("findings").toPrettyString());

        Lab.Result fix = Lab.headroom(env, "fix", "--apply", "--restart", "--project", PROJECT, "--scheduler",
                "http://127.0.0.1:" + dashboard, "--ssh-config", sshConfig.toString(), "vm");
        System.err.println("[fix-lab] fix --apply --restart exit " + fix.exit() + "\n" + fix.out() + fix.err());
        assertTrue(fix.exit() == 0 || fix.exit() == 1, fix.err());
        Matcher m = Pattern.compile("services \\[worker]: mem_limit (\\d+) bytes").matcher(fix.out());
        assertTrue(m.find(), fix.out());
        long recommended = Long.parseLong(m.group(1));
        assertTrue(fix.out().contains("# verification OK"), fix.out());
        assertTrue(Files.readString(dir.resolve("docker-compose.yml")).contains("mem_limit: ${AVAILABLE_MEMORY_FOR_DASK:-0}"));
        assertEquals("AVAILABLE_MEMORY_FOR_DASK=" + recommended + "\n", Files.readString(dir.resolve(".env")));

        // independent of Headroom's own verification: a fresh scan, the kernel file, the scheduler
        JsonNode after = scan();
        JsonNode fixed = worker(after);
        JsonNode daskWorker = fixed.get("daskWorkers").get(0);
        assertEquals(recommended, fixed.get("cgroupLimitBytes").asLong());
        assertEquals(recommended, kernelLimit(fixed.get("id").asText()), "memory.limit_in_bytes");
        assertEquals(recommended, daskWorker.get("systemLimitBytes").asLong(), "Dask's system limit is the new cgroup limit");
        // Dask 2022.12.1 memory_limit="auto": system limit × min(1, nthreads / cpu_count)
        // (distributed/worker_memory.py parse_memory_limit); the predicted budget must be what the scheduler reports
        long predicted = daskWorker.get("memoryLimitBytes").asLong();
        assertEquals(predicted, waitForWorker(predicted), "Dask's identity.json memory_limit");
        assertTrue(predicted <= recommended && predicted > 0, predicted + " vs " + recommended);
        assertTrue(!hasFinding(after, "NO_LIMIT", fixed.get("name").asText()), "NO_LIMIT is gone");

        Lab.Result back = Lab.headroom(env, "fix", "--rollback", "--restart", "--project", PROJECT,
                "--ssh-config", sshConfig.toString(), "vm");
        System.err.println("[fix-lab] fix --rollback --restart exit " + back.exit() + "\n" + back.out() + back.err());
        assertEquals(0, back.exit(), back.out() + back.err());
        assertEquals(original, Files.readString(dir.resolve("docker-compose.yml")));
        assertEquals("", Files.readString(dir.resolve(".env")), "the .env holds no value again");
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
    }
}
