package io.headroom.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 20 proven by real deaths on the lab's v1 platform (this machine: podman, cgroup v1, Dask 2022.12.1):
 * {@code lab/projects/i20-deaths} kills one worker with the kernel inside its 256 MiB container and has the
 * nanny restart the other at 95% of its 200 MiB budget; {@code headroom deaths local --json} must name each
 * with the right verdict, container and time (the kernel's microseconds; Dask's milliseconds).
 */
@Needs({Need.LAB_V1})
class DeathsV1IT {
    private static final String DIR = "lab/projects/i20-deaths";
    private static final String[] COMPOSE = {"docker-compose", "-p", "i20-deaths", "-f", DIR + "/docker-compose.yml"};
    private static Instant before;
    private static Instant after;

    @BeforeAll
    static void causeDeaths() {
        Lab.Result up = Lab.run(180, concat(COMPOSE, "up", "-d"));
        assertEquals(0, up.exit(), up.err());
        before = Instant.now();
        Lab.Result fast = Lab.run(120, "/usr/bin/python3", DIR + "/deaths-client.py", "tcp://127.0.0.1:18961", "fast");
        Lab.Result slow = Lab.run(120, "/usr/bin/python3", DIR + "/deaths-client.py", "tcp://127.0.0.1:18961", "slow");
        System.err.println("[deaths v1] fast: " + fast.out().strip() + " / slow: " + slow.out().strip());
        after = Instant.now();
    }

    @AfterAll
    static void down() {
        Lab.run(180, concat(COMPOSE, "down", "-t", "2"));
    }

    @Test
    void kernelOomInContainerAndNannyRestartEachWithTheirVerdict() throws Exception {
        Lab.Result r = Lab.headroom("deaths", "local", "--since", "15m", "--json");
        assertEquals(1, r.exit(), "exit 1: deaths found\n" + r.err());
        JsonNode host = new ObjectMapper().readTree(r.out()).get("hosts").get(0);
        JsonNode kernel = find(host, "KERNEL_OOM_CONTAINER", "i20-deaths_worker-fast_1");
        assertNotNull(kernel, "a kernel OOM kill in worker-fast:\n" + r.out());
        Instant kt = Instant.parse(kernel.get("time").asText());
        assertTrue(!kt.isBefore(before.minusSeconds(2)) && !kt.isAfter(after.plusSeconds(2)), kt + " not in [" + before + ", " + after + "]");
        assertEquals(256L << 20, kernel.get("limitBytes").asLong());
        assertTrue(kernel.get("workerPid").isInt(), "joined with the nanny's 'killed by signal 9' line:\n" + kernel);
        assertTrue(kernel.get("uncertain").isNull(), kernel.toString());

        JsonNode nanny = find(host, "DASK_NANNY_RESTART", "i20-deaths_worker-slow_1");
        assertNotNull(nanny, "a nanny restart in worker-slow:\n" + r.out());
        Instant nt = Instant.parse(nanny.get("time").asText());
        assertTrue(!nt.isBefore(before.minusSeconds(2)) && !nt.isAfter(after.plusSeconds(2)), nt.toString());
        assertTrue(nanny.get("workerAddress").asText().startsWith("tcp://"), nanny.toString());
        assertEquals(200L << 20, nanny.get("budgetBytes").asLong(), "the scan's model: --memory-limit 200MiB");
        assertTrue(nanny.get("fix").asText().contains("95%"), nanny.toString());
        boolean paused = false;
        for (JsonNode w : host.get("warnings")) {
            paused |= "PAUSED".equals(w.get("kind").asText());
        }
        assertTrue(paused, "the slow worker paused at 80% on its way to 95%:\n" + host.get("warnings"));
    }

    private static JsonNode find(JsonNode host, String cause, String container) {
        for (JsonNode d : host.get("deaths")) {
            if (cause.equals(d.get("cause").asText()) && container.equals(d.get("container").asText())
                    && Instant.parse(d.get("time").asText()).isAfter(before.minusSeconds(3))) {
                return d;
            }
        }
        return null;
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
