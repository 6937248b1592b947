package io.headroom.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.model.Masked;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Decision 0019 on both lab platforms, end to end with the built CLI: a compose project whose worker carries secrets
 * in the container environment ({@code DASK_COILED__TOKEN}, {@code DB_PASSWORD}, a key whose value spans lines, which
 * docker inspect once printed raw among the JSON lines), in the compose file's
 * {@code environment:}, in the project's {@code .env} and on the command line ({@code --password x}, a
 * {@code user:pass@} URL) is scanned with {@code headroom scan --json --snapshot}, the snapshot is turned into both
 * report formats, and no secret appears in any of the four outputs, while the memory facts (the cgroup limit the
 * kernel enforces, MemAvailable, the spill fraction the model reads) and the names of the masked variables do.
 * The VM itself keeps the secrets: the probe masks them before anything is framed. The worker is a Python script
 * named {@code dask-worker} that sleeps (a real worker would refuse {@code --password}); Headroom reads it as a worker.
 */
@Tag("lab")
class SecretsStayOnTheVmLabIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROJECT = "i17b-secrets";
    private static final long LIMIT = 805_306_368L; // 768 MiB, page-aligned: the kernel keeps it as written
    /** Every secret the project holds; each is unique text that occurs nowhere else. */
    private static final List<String> SECRETS = List.of("i17b-coiled-Zq81", "i17b-dbpass-Xw42", "i17b-urlpass-Kp73",
            "i17b-flagpass-Vm54", "i17b-dotenv-Jr65", "i17b-listenv-Hs96", "i17b-pemline-Qt27");

    private static final String COMPOSE = """
            # Headroom lab (SecretsStayOnTheVmLabIT): a worker with secrets in every place one can hide
            version: "2.4"
            services:
              worker:
            %1$s
                mem_limit: %2$d
                environment:
                  HOME: /tmp
                  DASK_COILED__TOKEN: i17b-coiled-Zq81
                  DB_PASSWORD: "i17b-dbpass-Xw42"
                  TLS_KEY: "-----BEGIN PRIVATE KEY-----\\ni17b-pemline-Qt27\\n-----END PRIVATE KEY-----\\n"
                  DASK_DISTRIBUTED__WORKER__MEMORY__SPILL: "0.61"
                volumes:
                  - ./dask-worker:/opt/i17b/dask-worker:ro
            %3$s
                command: ["python3", "/opt/i17b/dask-worker", "tcp://alice:i17b-urlpass-Kp73@127.0.0.1:8786",
                          "--password", "i17b-flagpass-Vm54", "--nthreads", "1", "--memory-limit", "512MiB"]
              sidecar:
            %1$s
                mem_limit: %2$d
                environment:
                  - HOME=/tmp
                  - AWS_SECRET_ACCESS_KEY=i17b-listenv-Hs96
                volumes:
                  - ./dask-worker:/opt/i17b/dask-worker:ro
            %3$s
                command: ["python3", "/opt/i17b/dask-worker"]
            """;

    private LabPlatform platform;
    private Path work;

    @AfterEach
    void down() throws Exception {
        if (platform != null) {
            // the v2 VM can be slow to answer under load: try again, then remove by the project's label
            String down = "cd " + dir() + " && " + platform.compose + " -p " + PROJECT + " down -t 1"
                    + " || docker rm -f $(docker ps -aq --filter label=com.docker.compose.project=" + PROJECT + ")";
            for (int i = 0; i < 3 && platform.sh(600, down).exit() != 0; i++) {
                Thread.sleep(5000);
            }
            platform.sh(300, "rm -rf " + dir());
        }
        if (work != null) {
            try (var s = Files.walk(work)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Test
    void v1NoSecretLeavesThePodmanHost() throws Exception {
        LabPlatform.V1.require();
        check(LabPlatform.V1, """
                    image: localhost/headroom-dask:2022.12.1
                    working_dir: /tmp""", """
                      - /usr:/usr:ro
                      - /etc:/etc:ro""");
    }

    @Test
    void v2NoSecretLeavesTheSystemdVm() throws Exception {
        LabPlatform.V2.require();
        check(LabPlatform.V2, """
                    image: %s
                    working_dir: /tmp""".formatted(Lab.labEnv("HEADROOM_LAB_V2_DASK_IMAGE")), "");
    }

    private String dir() {
        return (platform == LabPlatform.V1 ? "/tmp/" : "/opt/headroom-lab/") + PROJECT;
    }

    private Lab.Result compose(String args) {
        return platform.sh(600, "cd " + dir() + " && " + platform.compose + " -p " + PROJECT + " " + args);
    }

    /**
     * @param imageBlock the worker's image and working directory
     * @param mounts     more volume lines the platform needs (v1's containers run the host's Python)
     */
    private void check(LabPlatform p, String imageBlock, String mounts) throws Exception {
        platform = p;
        work = Files.createTempDirectory("i17b-secrets");
        String compose = COMPOSE.formatted(imageBlock.stripIndent().indent(4).stripTrailing(), LIMIT,
                mounts.isEmpty() ? "" : mounts.stripIndent().indent(6).stripTrailing()).replace("\n\n", "\n");
        platform.shOk(300, "rm -rf " + dir() + " && mkdir -p " + dir() + " && cat > " + dir() + "/docker-compose.yml <<'HEADROOM_EOF'\n"
                + compose + "HEADROOM_EOF\nprintf 'import time\\ntime.sleep(900)\\n' > " + dir() + "/dask-worker\nprintf 'API_KEY=i17b-dotenv-Jr65\\nAVAILABLE_MEMORY_FOR_DASK=" + LIMIT + "\\n' > " + dir() + "/.env");
        Lab.Result up = compose("up -d");
        assertEquals(0, up.exit(), "compose up: " + up.err());
        String inspect = platform.shOk(300, "docker inspect " + PROJECT + "_worker_1 " + PROJECT + "-worker-1 2>/dev/null; true");
        for (String s : List.of("i17b-coiled-Zq81", "i17b-dbpass-Xw42", "i17b-urlpass-Kp73", "i17b-flagpass-Vm54",
                "\\ni17b-pemline-Qt27\\n")) {
            assertTrue(inspect.contains(s), "the container really holds " + s + " (else the test proves nothing)");
        }

        // what leaves the VM: the probe's own output, run as Headroom runs it
        String probe = Files.readString(Path.of("src/main/resources/io/headroom/probe/headroom-probe.sh"));
        String raw = platform.shOk(300, "sh -s -- i17bnonce 262144 auto <<'HEADROOM_PROBE_EOF'\n" + probe + "\nHEADROOM_PROBE_EOF\n");
        assertTrue(raw.contains("==HR:i17bnonce:done"), "the probe ran to its end");
        for (String secret : SECRETS) {
            assertFalse(raw.contains(secret.substring(secret.lastIndexOf('-') + 1)), "part of " + secret + " left the VM in the probe's output");
        }
        int inspectAt = raw.indexOf("==HR:i17bnonce:begin docker-inspect");
        String inspectLines = raw.substring(raw.indexOf('\n', inspectAt) + 1, raw.indexOf("==HR:i17bnonce:end docker-inspect", inspectAt));
        assertTrue(inspectLines.lines().allMatch(l -> l.startsWith("{\"Id\":\"")), "docker-inspect holds container lines only: " + inspectLines);

        Map<String, String> env = Map.of("XDG_STATE_HOME", work.resolve("state").toString(),
                "XDG_CONFIG_HOME", work.resolve("config").toString());
        Path snapshot = work.resolve("vm.headroom.json");
        List<String> args = new ArrayList<>(List.of("scan", "--json", "--timeout", "240", "--snapshot", snapshot.toString()));
        args.addAll(platform.target());
        Lab.Result scan = Lab.headroom(env, args.toArray(String[]::new));
        assertTrue(scan.exit() == 0 || scan.exit() == 1, "scan exit " + scan.exit() + ": " + scan.err());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(snapshot)));
        Path md = work.resolve("vm.md");
        Path html = work.resolve("vm.html");
        for (Path report : List.of(md, html)) {
            Lab.Result r = Lab.headroom(env, "report", snapshot.toString(), "-o", report.toString());
            assertEquals(0, r.exit(), "report " + report + ": " + r.err());
        }

        Map<String, String> outputs = Map.of("scan --json", scan.out(), "scan --snapshot", Files.readString(snapshot),
                "report .md", Files.readString(md), "report .html", Files.readString(html), "the CLI's stderr", scan.err());
        for (Map.Entry<String, String> o : outputs.entrySet()) {
            for (String secret : SECRETS) {
                assertFalse(o.getValue().contains(secret), secret + " left the VM: it is in " + o.getKey());
            }
            for (String secret : SECRETS) {
                String tail = secret.substring(secret.lastIndexOf('-') + 1);
                assertFalse(o.getValue().contains(tail), "part of " + secret + " is in " + o.getKey());
            }
        }

        JsonNode host = JSON.readTree(scan.out()).get("hosts").get(0);
        JsonNode worker = container(host, "worker");
        assertEquals(LIMIT, worker.get("cgroupLimitBytes").asLong(), "the kernel's limit still arrives");
        long memAvailable = host.get("memAvailableBytes").asLong();
        assertTrue(memAvailable > 0 && memAvailable <= host.get("memTotalBytes").asLong(), host.toString());
        String snapshotText = Files.readString(snapshot);
        assertTrue(snapshotText.contains(Masked.MARKER), "the masked places are marked, not dropped");
        assertTrue(snapshotText.contains("DASK_COILED__TOKEN"), "a DASK_ variable is named");
        assertTrue(snapshotText.contains("0.61"), "a value the model reads is sent as it is");
        assertTrue(snapshotText.contains("mem_limit: " + LIMIT), "the compose file still arrives, memory keys and all");
        assertTrue(snapshotText.contains("DB_PASSWORD: " + Masked.MARKER) || snapshotText.contains("DB_PASSWORD: \\\"" + Masked.MARKER),
                "the compose file's environment: keeps the key and masks the value");
        assertTrue(snapshotText.contains("alice:" + Masked.MARKER + "@127.0.0.1"), "a URL keeps its user and host");
        for (Path report : List.of(md, html)) {
            String text = Files.readString(report);
            assertTrue(text.contains(PROJECT), report + " names the project");
            assertTrue(text.contains(String.format("%,d", LIMIT)) || text.contains(Long.toString(LIMIT))
                    || text.contains(String.format("%,d", LIMIT).replace(',', '\u202f')), report + " shows the limit in bytes");
        }
    }

    private static JsonNode container(JsonNode host, String service) {
        for (JsonNode c : host.get("containers")) {
            if (PROJECT.equals(c.path("composeProject").asText()) && service.equals(c.path("composeService").asText())) {
                return c;
            }
        }
        throw new AssertionError("no " + PROJECT + " " + service + " in " + host.toPrettyString());
    }
}
