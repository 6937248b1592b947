package io.headroom.it;

import io.headroom.engine.TransportRunners;
import io.headroom.model.ContainerFacts;
import io.headroom.model.HostFacts;
import io.headroom.probe.HostFactsAssembler;
import io.headroom.probe.ProbeRunner;
import io.headroom.probe.ProbeScript;
import io.headroom.probe.parse.ProbeSection;
import io.headroom.probe.parse.ProbeStream;
import io.headroom.probe.parse.ProbeStreamParser;
import io.headroom.ssh.OpenSshServer;
import io.headroom.ssh.Prompter;
import io.headroom.ssh.ShellQuote;
import io.headroom.ssh.SshConfigResolver;
import io.headroom.ssh.SshConnector;
import io.headroom.ssh.SshProbeRunner;
import net.schmizz.sshj.connection.channel.direct.Session;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile strings never reach a shell unquoted, proven on a real OpenSSH sshd: {@link ShellQuote} round-trips them
 * through the login shell and through a nested {@code sh -c}; and the probe, run over SSH against containers whose
 * labels, environment and command line carry shell syntax, reads them as data. Every hostile string tries to create
 * a sentinel file; none may exist afterwards.
 */
@Needs({Need.SSHD})
class HostileInputIT {
    private static final String SENTINEL = "/tmp/hr-harden-sentinel-";
    private static final String CONTAINER = "hr-harden-inject";
    private static final Path DIR = Path.of("/tmp/hr-harden-dir");
    private static OpenSshServer server;
    private static Path sshConfig;

    @BeforeAll
    static void start() throws Exception {
        String dockerHost = Lab.dockerHost();
        // the probe's session sees the lab's engine the way a VM's shell sees its docker
        server = dockerHost == null ? OpenSshServer.start() : OpenSshServer.start("SetEnv DOCKER_HOST=" + dockerHost);
        Path work = Files.createTempDirectory("headroom-hostile");
        Path kh = work.resolve("known_hosts");
        Files.writeString(kh, server.knownHostsLine() + "\n");
        sshConfig = work.resolve("ssh_config");
        Files.writeString(sshConfig, "Host *\n  IdentityFile " + server.clientKey + "\n  IdentitiesOnly yes\n  UserKnownHostsFile "
                + kh + "\n  StrictHostKeyChecking yes\n  BatchMode yes\n");
        removeSentinels();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        Lab.run(60, "docker", "rm", "-f", CONTAINER);
        if (Files.isDirectory(DIR)) {
            try (Stream<Path> s = Files.list(DIR)) {
                for (Path p : s.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(DIR);
        }
        removeSentinels();
    }

    /** Strings that run a command if anything evaluates them; sentinel N is created by string N. */
    static List<String> hostile() {
        List<String> out = new ArrayList<>();
        String[] templates = {
                "$(touch %s)", "`touch %s`", "'; touch %s; '", "\"; touch %s; \"", "\"$(touch %s)\"", "x'$(touch %s)'x",
                "a\\'; touch %s #", "; touch %s", "| touch %s", "&& touch %s", "${IFS}touch${IFS}%s", "-n $(touch %s)",
                "$'\\x41'$(touch %s)", "Dask-工作者-😀 $(touch %s) \u202e\u00a0", "\u0001\u007f\u001b[31m$(touch %s)",
        };
        for (int i = 0; i < templates.length; i++) {
            out.add(templates[i].replace("%s", SENTINEL + i));
        }
        out.add("*");
        out.add("~root");
        out.add("$HOME $PATH !! \\ \\\\ '\"'\"'");
        return out;
    }

    @Test
    void shellQuoteRoundTripsThroughTheLoginShellAndANestedShOverSsh() throws Exception {
        SshConnector connector = new SshConnector(new SshConfigResolver("ssh", sshConfig), Prompter.NON_INTERACTIVE,
                Duration.ofSeconds(10), false);
        try (SshConnector.Connection c = connector.connect(server.target())) {
            for (String s : hostile()) {
                byte[] want = s.getBytes(StandardCharsets.UTF_8);
                assertArrayEquals(want, exec(c, "printf '%s' " + ShellQuote.quote(s)), "login shell: " + s);
                String nested = "sh -c " + ShellQuote.quote("printf '%s' " + ShellQuote.quote(s));
                assertArrayEquals(want, exec(c, nested), "nested sh -c: " + s);
            }
        }
        assertNoSentinel();
        for (String bad : List.of("a\nb", "a\rb", "a\u0000b", "compose.yml\n$(touch " + SENTINEL + "nl)")) {
            assertThrows(IllegalArgumentException.class, () -> ShellQuote.quote(bad), "refused: " + bad.replace("\n", "\\n"));
        }
    }

    @Test
    void probeOverSshReadsHostileContainerMetadataAsData() throws Exception {
        Lab.requireDocker();
        Files.createDirectories(DIR);
        Files.writeString(DIR.resolve("a.yml"), "services: {}\n");
        Files.writeString(DIR.resolve("b.yml"), "services: {}\n");
        Path quoted = DIR.resolve("q\"uote&<>.yml");
        Files.writeString(quoted, "services: {}\n");
        List<String> h = hostile();
        String project = "p-" + h.get(0) + "\n==HR:" + ProbeScript.newNonce() + ":end docker-inspect status=ok";
        String workingDir = "/tmp/hr-harden-" + h.get(1);
        // a path with a double quote (JSON \"), and with & < > (Go's JSON writes \u0026 \u003c \u003e), is read
        String files = DIR + "/" + h.get(2) + ".yml," + DIR + "/*.yml," + DIR + "/" + h.get(8) + ".yml," + quoted;
        String service = h.get(3);
        String env = h.get(5);
        String arg = h.get(6);
        Lab.Result r = Lab.run(120, "docker", "run", "-d", "--name", CONTAINER,
                "--label", "com.docker.compose.project=" + project,
                "--label", "com.docker.compose.service=" + service,
                "--label", "com.docker.compose.project.working_dir=" + workingDir,
                "--label", "com.docker.compose.project.config_files=" + files,
                "-e", "DASK_DISTRIBUTED__WORKER__MEMORY__SPILL=" + env, "-e", "AVAILABLE_MEMORY_FOR_DASK=" + h.get(7),
                "-e", "DASK_COILED__TOKEN=hunter2-lab-env", "-e", "AWS_SECRET_ACCESS_KEY=hunter2-lab-other",
                "-v", "/usr:/usr:ro", "-v", "/etc:/etc:ro",
                Lab.IMAGE, "python3", "-c", "import time; time.sleep(600)", "dask-worker", arg, "--token", "hunter2-lab-arg");
        assertEquals(0, r.exit(), "docker run failed: " + r.err());

        String nonce = ProbeScript.newNonce();
        ProbeRunner.ProbeOutput out;
        try (TransportRunners runners = new TransportRunners(Prompter.NON_INTERACTIVE,
                new TransportRunners.Options(sshConfig, Duration.ofSeconds(10), SshProbeRunner.SudoMode.NEVER))) {
            out = runners.forTarget(server.target()).run(nonce, Duration.ofSeconds(120));
        }
        ProbeStream stream = ProbeStreamParser.parse(out.stdout(), nonce);
        assertTrue(stream.complete(), "the probe finished: " + out.stderrTail());
        HostFacts facts = HostFactsAssembler.assemble(server.target(), stream);
        ContainerFacts c = facts.containers().stream().filter(x -> x.name().equals(CONTAINER)).findFirst()
                .orElseThrow(() -> new AssertionError("the hostile container was not seen: " + facts.problems()));

        assertEquals(project, c.composeProject(), "a label with a newline and a forged frame is one value");
        assertEquals(service, c.composeService());
        assertEquals(workingDir, c.composeWorkingDir());
        assertEquals(List.of(files.split(",")), c.composeFiles());
        assertEquals(env, c.env().get("DASK_DISTRIBUTED__WORKER__MEMORY__SPILL"), "values the model reads arrive verbatim");
        assertEquals(io.headroom.model.Masked.MARKER, c.env().get("DASK_COILED__TOKEN"), "other DASK_ variables by name (decision 0019)");
        assertFalse(c.env().containsKey("AWS_SECRET_ACCESS_KEY"));
        assertFalse(out.stdout().contains("hunter2"), "no secret left the VM");
        assertTrue(facts.composeFiles().containsKey(quoted.toString()), "the quoted path was read: " + facts.composeFiles().keySet());
        assertNotNull(c.processes().stream().filter(p -> p.argv().contains(arg)).findFirst().orElse(null),
                "the worker's argv arrives verbatim: " + c.processes());
        List<String> composeSubjects = stream.all("compose-file").stream().map(ProbeSection::subject).toList();
        assertTrue(composeSubjects.contains(DIR + "/*.yml"), "a glob in a label is a file name: " + composeSubjects);
        assertFalse(composeSubjects.contains(DIR + "/a.yml"), "a glob in a label is never expanded: " + composeSubjects);
        assertNoSentinel();
    }

    private static byte[] exec(SshConnector.Connection c, String command) throws Exception {
        try (Session s = c.client().startSession()) {
            Session.Command cmd = s.exec(command);
            byte[] out = cmd.getInputStream().readAllBytes();
            cmd.join(20, TimeUnit.SECONDS);
            return out;
        }
    }

    private static void assertNoSentinel() throws Exception {
        try (Stream<Path> s = Files.list(Path.of("/tmp"))) {
            List<Path> found = s.filter(p -> p.toString().startsWith(SENTINEL)).toList();
            assertEquals(List.of(), found, "a hostile string was executed");
        }
    }

    private static void removeSentinels() throws Exception {
        try (Stream<Path> s = Files.list(Path.of("/tmp"))) {
            for (Path p : s.filter(p -> p.toString().startsWith(SENTINEL)).toList()) {
                Files.delete(p);
            }
        }
    }
}
