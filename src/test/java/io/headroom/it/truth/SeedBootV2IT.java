package io.headroom.it.truth;

import io.headroom.it.Need;
import io.headroom.it.Needs;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed's pattern at boot, on the lab's v2 VM: a compose project whose worker has
 * {@code mem_limit: ${AVAILABLE_MEMORY_FOR_DASK:-0}} and {@code restart: always}, the script and the
 * two units that {@code headroom boot-snippet} prints installed and enabled, then a real reboot of
 * the VM. After it: the script ran at this boot before docker started, {@code .env} holds
 * MemAvailable − reserve in whole pages, compose recreated the worker with it (the container's
 * {@code memory.max} and {@code HostConfig.Memory} are that value, byte for byte), Dask's
 * {@code memory_limit} is what Headroom predicts, and Headroom's scan reads the same value from
 * {@code .env} and reports no NO_LIMIT.
 */
@Needs({Need.LAB_V2})
@Tag("lab")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SeedBootV2IT {
    private static final LabPlatform VM = LabPlatform.V2;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DIR = "/opt/headroom-lab/seedboot";
    private static final String PROJECT = "hr-seedboot";
    private static final int DASHBOARD = 18901;
    private static final long RESERVE = 256L << 20;
    private static final String COMPOSE = """
            # Headroom lab: the seed's pattern, started at boot. No limit until the boot units ran.
            services:
              scheduler:
                image: %1$s
                command: ["dask-scheduler", "--host", "0.0.0.0", "--port", "8786", "--dashboard-address", ":8787"]
                restart: always
                ports:
                  - "%2$d:8787"   # on the VM's address: QEMU forwards it to this machine
              worker:
                image: %1$s
                command: ["dask-worker", "tcp://scheduler:8786", "--name", "seedboot-worker"]
                restart: always
                mem_limit: ${AVAILABLE_MEMORY_FOR_DASK:-0}
                depends_on:
                  - scheduler
            """;

    private boolean installed;

    @BeforeAll
    void installAndReboot() throws Exception {
        VM.require();
        String script = snippet("--script");
        String unit = snippet("--unit");
        String composeUnit = snippet("--compose-unit");
        installed = true;
        VM.shOk(120, "set -e\nrm -rf " + DIR + "\nmkdir -p " + DIR + " /usr/local/libexec\ncd " + DIR + "\n"
                + heredoc("docker-compose.yml", String.format(COMPOSE, Lab.labEnv("HEADROOM_LAB_V2_DASK_IMAGE"), DASHBOARD))
                + ": > .env\n"
                + heredoc("/usr/local/libexec/headroom-dask-memory.sh", script)
                + "chmod 755 /usr/local/libexec/headroom-dask-memory.sh\n"
                + heredoc("/etc/systemd/system/headroom-dask-memory.service", unit)
                + heredoc("/etc/systemd/system/headroom-dask-compose.service", composeUnit)
                + "systemctl daemon-reload\nsystemctl enable headroom-dask-memory.service headroom-dask-compose.service\n"
                + "docker compose -p " + PROJECT + " up -d\n");
        String unlimited = VM.shOk(60, "cat /sys/fs/cgroup/system.slice/docker-" + workerId() + ".scope/memory.max").strip();
        assertEquals("max", unlimited, "before the boot units ran, the worker has no limit (.env is empty)");

        String bootId = bootId();
        VM.sh(30, "systemctl reboot");
        long deadline = System.nanoTime() + Duration.ofSeconds(600).toNanos();
        String now = bootId;
        while (now.equals(bootId) && System.nanoTime() < deadline) {
            Thread.sleep(3000);
            Lab.Result r = VM.sh(30, "cat /proc/sys/kernel/random/boot_id");
            now = r.exit() == 0 ? r.out().strip() : bootId;
        }
        assertNotEquals(bootId, now, "the VM did not come back from the reboot within 600 s");
        String state = "";
        while (System.nanoTime() < deadline) {
            state = VM.sh(30, "systemctl is-active headroom-dask-compose.service").out().strip();
            if (!state.equals("activating") && !state.equals("inactive") && !state.isEmpty()) {
                break;
            }
            Thread.sleep(2000);
        }
        assertEquals("active", state, "headroom-dask-compose.service after the reboot: "
                + VM.sh(30, "journalctl -b -u headroom-dask-compose.service --no-pager | tail -20").out());
    }

    @AfterAll
    void remove() {
        if (installed) {
            VM.sh(300, "cd " + DIR + " && docker compose -p " + PROJECT + " down -t 2; systemctl disable headroom-dask-memory.service"
                    + " headroom-dask-compose.service; rm -f /etc/systemd/system/headroom-dask-*.service"
                    + " /usr/local/libexec/headroom-dask-memory.sh; systemctl daemon-reload; rm -rf " + DIR);
        }
    }

    @Test
    void theLimitWrittenAtBootIsTheLimitTheKernelAndDaskUse() throws Exception {
        String env = VM.shOk(30, "cat " + DIR + "/.env");
        assertTrue(env.matches("AVAILABLE_MEMORY_FOR_DASK=[0-9]+\n"), env);
        long value = Long.parseLong(env.strip().split("=")[1]);
        assertEquals(0, value % Long.parseLong(VM.shOk(30, "getconf PAGESIZE").strip()), "whole pages: " + value);
        String journal = VM.shOk(30, "journalctl -b -u headroom-dask-memory.service --no-pager");
        assertTrue(journal.contains("AVAILABLE_MEMORY_FOR_DASK=" + value + " written to " + DIR + "/.env"),
                "the script wrote it at this boot: " + journal);
        long scriptDone = monotonic("headroom-dask-memory.service", "ExecMainExitTimestampMonotonic");
        long dockerStart = monotonic("docker.service", "ExecMainStartTimestampMonotonic");
        assertTrue(scriptDone > 0 && scriptDone <= dockerStart, "measured before docker started: script exited at "
                + scriptDone + " µs, docker started at " + dockerStart + " µs");

        String id = workerId();
        long kernel = Long.parseLong(VM.shOk(30, "cat /sys/fs/cgroup/system.slice/docker-" + id + ".scope/memory.max").strip());
        assertEquals(value, kernel, "the recreated worker's memory.max");
        assertEquals(value, Long.parseLong(VM.shOk(30, "docker inspect -f '{{.HostConfig.Memory}}' " + id).strip()),
                "HostConfig.Memory");

        long daskReports = waitForWorker();
        Lab.Result scan = Lab.headroom(concat(List.of("scan", "--json", "--timeout", "240"), VM.target()));
        assertTrue(scan.exit() == 0 || scan.exit() == 1, scan.err());
        JsonNode host = JSON.readTree(scan.out()).get("hosts").get(0);
        JsonNode worker = null;
        for (JsonNode c : host.get("containers")) {
            if (PROJECT.equals(c.path("composeProject").asText())) {
                worker = c;
            }
        }
        assertTrue(worker != null, "Headroom found the worker: " + host.get("containers"));
        assertEquals(value, worker.get("cgroupLimitBytes").asLong(), "Headroom's cgroupLimitBytes");
        assertEquals(Long.toString(value), host.at("/dotEnv").path(DIR + "/.env").asText(null), "the .env Headroom read");
        long predicted = -1;
        for (JsonNode w : worker.get("daskWorkers")) {
            if (w.get("pid").asInt() != w.get("launcherPid").asInt()) {
                predicted = w.get("memoryLimitBytes").asLong();
            }
        }
        assertEquals(daskReports, predicted, "Dask's memory_limit vs Headroom's prediction");
        for (JsonNode f : host.get("findings")) {
            assertNotEquals("NO_LIMIT", f.get("code").asText(), f.toString());
        }
        assertTrue(value < host.get("memTotalBytes").asLong(), value + " below MemTotal");
    }

    private static String snippet(String which) {
        Lab.Result r = Lab.headroom("boot-snippet", "--env-file", DIR + "/.env", "--reserve", Long.toString(RESERVE),
                "--project", PROJECT, which);
        assertEquals(0, r.exit(), r.err());
        return r.out();
    }

    /** A here-document that writes {@code text} to {@code file}, as whole lines of a script. */
    private static String heredoc(String file, String text) {
        assertTrue(!text.contains("HEADROOM_EOF"), file);
        return "cat > " + file + " <<'HEADROOM_EOF'\n" + text + (text.endsWith("\n") ? "" : "\n") + "HEADROOM_EOF\n";
    }

    private static String workerId() {
        String id = VM.shOk(60, "cd " + DIR + " && docker compose -p " + PROJECT + " ps -q worker").strip();
        assertTrue(id.matches("[0-9a-f]{64}"), "worker container id: " + id);
        return id;
    }

    private static String bootId() {
        return VM.shOk(30, "cat /proc/sys/kernel/random/boot_id").strip();
    }

    private static long monotonic(String unit, String property) {
        return Long.parseLong(VM.shOk(30, "systemctl show -P " + property + " " + unit).strip());
    }

    private static long waitForWorker() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI uri = URI.create("http://127.0.0.1:" + (DASHBOARD + Integer.parseInt(Lab.labEnv("HEADROOM_LAB_V2_PORT_OFFSET")))
                + "/json/identity.json");
        long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                last = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                for (JsonNode w : JSON.readTree(last).path("workers")) {
                    if ("seedboot-worker".equals(w.path("name").asText())) {
                        return w.get("memory_limit").asLong();
                    }
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(2000);
        }
        throw new AssertionError("the scheduler never listed seedboot-worker: " + last);
    }

    private static String[] concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all.toArray(String[]::new);
    }
}
