package io.headroom.engine;

import io.headroom.engine.fix.FixPlan;
import io.headroom.engine.fix.FixPlanner;
import io.headroom.engine.report.ReportWriter;
import io.headroom.model.HostReport;
import io.headroom.model.Masked;
import io.headroom.model.ScanReport;
import io.headroom.probe.MaskShell;
import io.headroom.probe.ProbeRunner;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17: no secret leaves a VM. The lab capture s1-no-limit with secrets put in every place one can
 * hide on a VM — the worker container's environment and arguments, its Dask process's command line, the
 * project's compose file and .env (fixtures/secrets) — each section passed through the probe's own masking
 * code under dash, exactly as the probe prints it; then the whole pipeline. Each secret (a value
 * {@code hunter2-<place>}) is looked for in the scan JSON, the snapshot (plain and redacted), both
 * report formats and the fix plans' diffs.
 */
class SecretsStayOnTheVmTest {
    private static final Path SECRETS = Path.of("src/test/resources/fixtures/secrets");
    private static final String WORKER = "eaca618c0c32d2807ea92695a339396d33fb58c11c0a3d0bdac855eea595a78d";
    private static final Pattern SECRET = Pattern.compile("hunter2-[a-z0-9-]+");
    private static final String RAW_ARGS = "\"Args\":[\"tcp://scheduler:8786\",\"--name\",\"worker\",\"--password\",\"hunter2-args-next\","
            + "\"--token=hunter2-args-equals\",\"sh -c \\\"dask worker --secret hunter2-args-shell\\\"\","
            + "\"--auth-token\",\"hunter2-args-auth\",\"Authorization: Bearer hunter2-args-bearer\","
            + "\"redis://u:p@hunter2-args-url-at@redis:6379\"]";
    private static final List<String> RAW_ARGV = List.of("--password", "hunter2-argv-next", "--token=hunter2-argv-equals",
            "tcp://dask:hunter2-argv-url@scheduler:8786", "DASK_COILED__TOKEN=hunter2-argv-env",
            "Authorization: Bearer hunter2-argv-bearer", "redis://u:p@hunter2-argv-url-at@redis:6379", "--auth",
            "hunter2-argv-auth", "--api-key=hunter2-argv-apikey", "--password", "hunter2-argv-last");
    private static final Map<String, String> OUTPUTS = new LinkedHashMap<>();
    private static final TreeSet<String> PLACES = new TreeSet<>();
    private static ScanReport report;

    private static String dash(String script, String stdin) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/dash")) || Files.isExecutable(Path.of("/bin/dash")), "no dash");
        return MaskShell.run(List.of("dash"), Map.of(), SECRETS, script, stdin);
    }

    /** The section of {@code stream} that begins with {@code begin}: [start of content, end of content). */
    private static int[] section(String stream, String begin) {
        int b = stream.indexOf(begin);
        int from = stream.indexOf('\n', b) + 1;
        int to = stream.indexOf("==HR:" + FixtureRunners.FIXTURE_NONCE + ":end ", from);
        return new int[]{from, to};
    }

    private static String replaceSection(String stream, String begin, String content) {
        int[] s = section(stream, begin);
        return stream.substring(0, s[0]) + content + (content.endsWith("\n") ? "" : "\n") + stream.substring(s[1]);
    }

    static String stream() throws Exception {
        String n = "==HR:" + FixtureRunners.FIXTURE_NONCE + ":begin ";
        String s = FixtureRunners.fixture("/fixtures/lab/s1-no-limit.txt");
        // docker inspect: the worker's Args, masked by the probe's mask_inspect
        int[] inspect = section(s, n + "docker-inspect");
        String json = s.substring(inspect[0], inspect[1]).replace("\"Args\":[\"tcp://scheduler:8786\",\"--name\",\"worker\"]", RAW_ARGS);
        record(json);
        s = replaceSection(s, n + "docker-inspect", dash("mask_inspect", json));
        // docker env: every variable of the container, filtered by the probe's dask_env
        String env = Files.readString(SECRETS.resolve("inspect-all.txt")).replace("aaaaaaaaaaaa1111", WORKER).lines()
                .filter(l -> l.startsWith("ENV ")).map(l -> l + "\n").reduce("", String::concat);
        record(env);
        s = replaceSection(s, n + "docker-env", dash("f=$(mktemp) && cat >\"$f\" && dask_env \"$f\"; rm -f \"$f\"", env));
        // the Dask worker's command line (one argument per line), masked by mask_secrets
        int[] proc = section(s, n + "process " + WORKER + "/5407");
        String body = s.substring(proc[0], proc[1]);
        int cmdEnd = body.indexOf("\n\n");
        String argv = body.substring("--- cmdline\n".length(), cmdEnd) + "\n" + String.join("\n", RAW_ARGV);
        record(argv);
        String masked = dash("mask_secrets '==HR:" + FixtureRunners.FIXTURE_NONCE + ":cmdline'", argv + "\n");
        s = replaceSection(s, n + "process " + WORKER + "/5407", "--- cmdline\n" + masked + body.substring(cmdEnd + 1));
        // the project's .env: dotenv_lines sends its AVAILABLE_MEMORY_FOR_DASK line only
        record(Files.readString(SECRETS.resolve("dotenv")));
        s = replaceSection(s, n + "dotenv /work/main/lab/projects/s1-no-limit/.env", dash("CAP=262144; dotenv_lines dotenv", ""))
                .replace("==HR:" + FixtureRunners.FIXTURE_NONCE + ":end dotenv status=unavailable no .env file in the compose working directory",
                        "==HR:" + FixtureRunners.FIXTURE_NONCE + ":end dotenv status=ok");
        // the project's compose file: compose_text prints both hashes and the masked text
        record(Files.readString(SECRETS.resolve("docker-compose.yml")));
        Path tmp = Files.createTempFile("hr-masked", ".yml");
        try {
            s = replaceSection(s, n + "compose-file /work/main/lab/projects/s1-no-limit/docker-compose.yml",
                    dash("CAP=262144; compose_text docker-compose.yml '" + tmp + "'", ""));
        } finally {
            Files.deleteIfExists(tmp);
        }
        return s;
    }

    private static void record(String raw) {
        Matcher m = SECRET.matcher(raw);
        while (m.find()) {
            PLACES.add(m.group());
        }
    }

    @BeforeAll
    static void scan() throws Exception {
        String text = stream();
        ProbeRunner runner = (nonce, timeout) -> new ProbeRunner.ProbeOutput(
                text.replace("==HR:" + FixtureRunners.FIXTURE_NONCE + ":", "==HR:" + nonce + ":"), "", 0, false);
        report = new ScanEngine(target -> runner, "t").scan(List.of("vm-1"), ScanOptions.DEFAULTS, ScanListener.NONE);
        OUTPUTS.put("scan JSON", ReportJson.write(report));
        OUTPUTS.put("snapshot", Snapshots.toJson(report));
        OUTPUTS.put("redacted snapshot", Snapshots.toJson(Redactor.redact(report)));
        OUTPUTS.put("Markdown report", ReportWriter.markdown(report, "test", Map.of()));
        OUTPUTS.put("HTML report", ReportWriter.html(report, "test", Map.of()));
        StringBuilder diffs = new StringBuilder();
        for (boolean envMode : new boolean[]{false, true}) {
            for (FixPlan p : FixPlanner.plan(report.hosts().get(0), envMode)) {
                diffs.append(p.diff()).append(p.notes()).append(p.refusal());
            }
        }
        OUTPUTS.put("fix diffs", diffs.toString());
    }

    static List<String> places() throws Exception {
        if (PLACES.isEmpty()) {
            stream();
        }
        return List.copyOf(PLACES);
    }

    @ParameterizedTest
    @MethodSource("places")
    void theSecretLeavesNoTrace(String secret) {
        assertTrue(PLACES.size() >= 48, "every place is planted: " + PLACES);
        for (Map.Entry<String, String> o : OUTPUTS.entrySet()) {
            assertFalse(o.getValue().contains(secret), secret + " in the " + o.getKey());
        }
    }

    @Test
    void whatTheModelAndTheFixNeedStillArrives() {
        HostReport host = report.hosts().get(0);
        assertTrue(host.scanned(), host.errors().toString());
        var worker = host.facts().containers().stream().filter(c -> c.id().equals(WORKER)).findFirst().orElseThrow();
        assertEquals(Masked.MARKER, worker.env().get("DASK_COILED__TOKEN"), "other DASK_ variables by name");
        assertEquals("0.7", worker.env().get("DASK_DISTRIBUTED__WORKER__MEMORY__SPILL"));
        assertFalse(worker.env().containsKey("AWS_SECRET_ACCESS_KEY"), "no other variable");
        var compose = host.facts().composeFiles().get("/work/main/lab/projects/s1-no-limit/docker-compose.yml");
        assertTrue(Masked.in(compose.content()));
        assertTrue(compose.content().contains("mem_limit: 4g"));
        assertEquals("4294967296", host.facts().dotEnvValues().get("/work/main/lab/projects/s1-no-limit/.env"),
                "the .env's AVAILABLE_MEMORY_FOR_DASK arrives");
        String snapshot = OUTPUTS.get("snapshot");
        assertTrue(snapshot.contains("DB_PASSWORD: " + Masked.MARKER), "the snapshot shows where a value was masked");
        List<FixPlan> plans = FixPlanner.plan(host, false);
        FixPlan s1 = plans.stream().filter(p -> p.project().equals("hr-s1")).findFirst().orElseThrow();
        assertEquals(null, s1.refusal(), "the masked file can still be fixed");
        assertFalse(s1.edits().isEmpty());
    }
}
