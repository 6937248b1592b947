package io.headroom.it.truth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.it.Lab;
import io.headroom.it.LabPlatform;
import io.headroom.it.Need;
import io.headroom.it.Needs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dask's CPU count in real containers on the v2 VM (cgroup v2, Docker 26, 2 CPUs, Dask 2024.12.1 on Python 3.13;
 * issue 22): each container runs a scheduler and {@code dask worker --nthreads 1 --memory-limit auto}, limited to
 * 1 CPU of the VM's 2, with {@code --cgroupns host} (Dask reads cpu.max at its own cgroup's path,
 * /sys/fs/cgroup/system.slice/docker-ID.scope/) and {@code --cgroupns private} (it sees its cgroup as /); a third,
 * unlimited, sets {@code PYTHON_CPU_COUNT=1} (Python ≥ 3.13's override). The worker itself is asked (the
 * scheduler's {@code scheduler_info()}, {@code dask.system.CPU_COUNT} by python3 in the container); Headroom's
 * scan of the VM must predict the same CPU count, threads and budget in bytes.
 */
@Needs({Need.LAB_V2})
@Tag("lab")
class CpuCountCgroupnsV2IT {
    private static final LabPlatform VM = LabPlatform.V2;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> RUN = Map.of(
            "i22-cg-host", "--cgroupns host --cpus 1 -m 1g",
            "i22-cg-private", "--cgroupns private --cpus 1 -m 1g",
            "i22-pycpu", "--cgroupns private -m 1g -e PYTHON_CPU_COUNT=1");
    private static final String ASK = "import json\nfrom dask.system import CPU_COUNT\nfrom distributed import Client\n"
            + "c = Client('tcp://127.0.0.1:8786', timeout=120)\nc.wait_for_workers(1, timeout=300)\n"
            + "w = list(c.scheduler_info()['workers'].values())\n"
            + "print(json.dumps({'cpu': CPU_COUNT, 'workers': [[x['nthreads'], x['memory_limit']] for x in w]}))\n";

    @BeforeAll
    static void start() {
        VM.require();
        StringBuilder sh = new StringBuilder();
        for (Map.Entry<String, String> e : RUN.entrySet()) {
            sh.append("docker rm -f ").append(e.getKey()).append(" >/dev/null 2>&1; docker run -d --name ").append(e.getKey())
                    .append(' ').append(e.getValue()).append(' ').append(Lab.labEnv("HEADROOM_LAB_V2_DASK_IMAGE"))
                    .append(" sh -c 'dask scheduler --port 8786 --dashboard-address :0 & exec dask worker tcp://127.0.0.1:8786"
                            + " --nthreads 1 --memory-limit auto --name w --dashboard-address :0' >/dev/null || exit 1\n");
        }
        VM.shOk(300, sh.toString());
    }

    @AfterAll
    static void stop() {
        VM.sh(120, "docker rm -f " + String.join(" ", RUN.keySet()));
    }

    @Test
    void headroomPredictsWhatTheWorkerReports() throws Exception {
        Map<String, JsonNode> dask = new java.util.TreeMap<>();
        for (String name : RUN.keySet()) {
            String out = VM.shOk(600, "docker exec " + name + " python3 -c \"$(printf '%s' '"
                    + ASK.replace("'", "'\\''") + "')\" 2>/dev/null | tail -n 1");
            dask.put(name, JSON.readTree(out.strip()));
        }
        Lab.Result r = Lab.headroom(concat(List.of("scan", "--json", "--timeout", "240"), VM.target()));
        assertTrue(r.exit() == 0 || r.exit() == 1, "headroom scan exit " + r.exit() + ": " + r.err());
        JsonNode host = JSON.readTree(r.out()).get("hosts").get(0);
        List<String> table = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : dask.entrySet()) {
            JsonNode c = null;
            for (JsonNode x : host.get("containers")) {
                if (x.get("name").asText().replaceFirst("^/", "").equals(e.getKey())) {
                    c = x;
                }
            }
            assertNotNull(c, e.getKey() + " in the scan");
            JsonNode w = c.get("daskWorkers").get(0);
            JsonNode truth = e.getValue();
            table.add(e.getKey() + ": Dask cpu " + truth.get("cpu") + " workers " + truth.get("workers") + "; Headroom cpu "
                    + w.get("cpuCount") + " nthreads " + w.get("nthreads") + " budget " + w.get("memoryLimitBytes"));
            assertEquals(truth.get("cpu").asInt(), w.get("cpuCount").asInt(), e.getKey() + " cpu_count; " + w.get("derivation"));
            assertEquals(1, truth.get("workers").size(), truth.toString());
            assertEquals(truth.get("workers").get(0).get(0).asInt(), w.get("nthreads").asInt(), e.getKey() + " nthreads");
            assertEquals(truth.get("workers").get(0).get(1).asLong(), w.get("memoryLimitBytes").asLong(),
                    e.getKey() + " memory_limit; " + w.get("derivation"));
        }
        System.out.println(String.join("\n", table));
    }

    private static String[] concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all.toArray(String[]::new);
    }
}
