package io.headroom.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A container started with a known memory limit is reported with exactly that cgroup limit. */
@Needs({Need.LAB_V1})
@Tag("lab")
class ContainerLimitIT {
    private static final String NAME = "hr-it-limit";
    private static final long LIMIT = 300L * 1024 * 1024; // docker's 300m is binary

    @BeforeEach
    void start() {
        Lab.requireDocker();
        Lab.run(60, "docker", "rm", "-f", NAME);
        Lab.Result r = Lab.run(120, "docker", "run", "-d", "--name", NAME, "--label", "io.headroom.lab=it",
                "--memory", "300m", "-v", "/usr:/usr:ro", "-v", "/etc:/etc:ro", "-w", "/tmp", "-e", "HOME=/tmp",
                Lab.IMAGE, "sh", "-c",
                "dask-scheduler --host 127.0.0.1 --port 18786 --dashboard-address 127.0.0.1:0 & "
                        + "exec dask-worker tcp://127.0.0.1:18786 --nthreads 1 --memory-limit auto");
        assertEquals(0, r.exit(), "docker run failed: " + r.err());
    }

    @AfterEach
    void stop() {
        Lab.run(60, "docker", "rm", "-f", NAME);
    }

    @Test
    void reportsExactlyTheKernelsLimit() throws Exception {
        JsonNode container = null;
        for (int attempt = 0; attempt < 30 && container == null; attempt++) {
            Lab.Result r = Lab.headroom("scan", "--json");
            JsonNode host = new ObjectMapper().readTree(r.out()).get("hosts").get(0);
            for (JsonNode c : host.get("containers")) {
                if (c.get("name").asText().equals(NAME) && c.get("daskWorkers").size() > 0
                        && c.get("daskWorkers").get(0).get("pid").asInt() != c.get("daskWorkers").get(0).get("launcherPid").asInt()) {
                    container = c;
                }
            }
            if (container == null) {
                Thread.sleep(1000);
            }
        }
        assertNotNull(container, "the worker container never showed a Dask worker process");
        assertEquals(LIMIT, container.get("cgroupLimitBytes").asLong());
        assertEquals(LIMIT, container.get("engineMemoryBytes").asLong());
        String dir = container.get("cgroupDirectory").asText();
        long kernel = Long.parseLong(Files.readString(Path.of(dir, "memory.limit_in_bytes")).strip());
        assertEquals(kernel, container.get("cgroupLimitBytes").asLong(), "what the kernel enforces");
        JsonNode worker = container.get("daskWorkers").get(0);
        int cpus = Runtime.getRuntime().availableProcessors();
        // distributed/worker_memory.py parse_memory_limit("auto"): int(MEMORY_LIMIT * min(1, nthreads / cpu_count))
        long expected = cpus <= 1 ? LIMIT : (long) (LIMIT * (1.0 / cpus));
        assertEquals(expected, worker.get("memoryLimitBytes").asLong());
        assertEquals(1, worker.get("nthreads").asInt());
        assertTrue(worker.get("daskVersion").asText().startsWith("2022.12.1"), worker.toString());
        assertEquals("/sys/fs/cgroup/memory/memory.limit_in_bytes", worker.get("systemLimitSource").asText());
    }
}
