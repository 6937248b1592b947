package io.headroom.ssh.mina;

import io.headroom.probe.ProbeException;
import io.headroom.probe.ProbeRunner;
import io.headroom.probe.ProbeScript;
import io.headroom.probe.parse.ProbeStreamParser;
import io.headroom.ssh.SshConnectionPool;
import io.headroom.ssh.SshProbeRunner;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.shell.ProcessShellCommandFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live mode's long-lived remote shell (decision 0039) against a real {@code sh} behind an in-process SSH server: the
 * refreshes of a host share one exec, each reads exactly its own output, and a shell that dies or hangs fails only
 * that refresh (within its deadline) and is replaced by the next one.
 */
class LiveShellTest extends MinaTest {
    final List<String> commands = new CopyOnWriteArrayList<>();
    SshProbeRunner runner;

    @BeforeEach
    void setUp() throws Exception {
        SshServer s = fx.passwordServer(MinaFixture.ecKeyPair(), srv -> srv.setCommandFactory((channel, command) -> {
            commands.add(command);
            return ProcessShellCommandFactory.INSTANCE.createCommand(channel, command);
        }));
        SshConnectionPool pool = new SshConnectionPool(fx.connector(fx.config(s.getPort()), prompter));
        fx.register(pool);
        runner = new SshProbeRunner(pool, "tgt", SshProbeRunner.SudoMode.NEVER);
    }

    /** One refresh; checks its output is exactly its own frames, ending with its done line. */
    private void refreshOk(Duration timeout) throws ProbeException {
        String nonce = ProbeScript.newNonce();
        ProbeRunner.ProbeOutput out = runner.refresh(nonce, List.of(), timeout);
        assertTrue(out.stdout().startsWith("==HR:" + nonce + ":begin grep -\n"), out.stdout());
        assertTrue(out.stdout().endsWith("==HR:" + nonce + ":done version=1\n"), out.stdout());
        assertTrue(out.stdout().contains("/proc/meminfo:MemAvailable:"), out.stdout());
        var parsed = ProbeStreamParser.parse(out.stdout(), nonce);
        assertTrue(parsed.complete(), "the stream ends with its done line");
        assertEquals(0, parsed.stray(), "no line of another refresh");
    }

    private long shells() {
        return commands.stream().filter("sh -s"::equals).count();
    }

    private static List<ProcessHandle> remoteShells() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").matches(".*sh -s$")).toList(); // /usr/bin/dash -s
    }

    @Test
    void refreshesShareOneShellAndEachReadsItsOwnOutput() throws Exception {
        for (int i = 0; i < 5; i++) {
            refreshOk(Duration.ofSeconds(10));
        }
        assertEquals(1, shells(), "five refreshes, one exec: " + commands);
    }

    @Test
    void aShellThatDiedIsReplacedByTheNextRefresh() throws Exception {
        refreshOk(Duration.ofSeconds(10));
        List<ProcessHandle> sh = remoteShells();
        assertEquals(1, sh.size(), "the remote shell runs: " + sh);
        sh.get(0).destroyForcibly();
        sh.get(0).onExit().join();
        Thread.sleep(300); // the channel's EOF reaches the client
        refreshOk(Duration.ofSeconds(10));
        assertEquals(2, shells(), "a new shell after the first one died: " + commands);
    }

    @Test
    void aHungShellFailsOnlyThatRefreshWithinItsDeadline() throws Exception {
        refreshOk(Duration.ofSeconds(10));
        ProcessHandle sh = remoteShells().get(0);
        new ProcessBuilder("kill", "-STOP", Long.toString(sh.pid())).start().waitFor();
        try {
            ProbeException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> assertThrows(ProbeException.class, () -> runner.refresh(ProbeScript.newNonce(), List.of(), Duration.ofSeconds(2))));
            assertTrue(e.getMessage().contains("did not finish within 2 s"), e.getMessage());
        } finally {
            new ProcessBuilder("kill", "-CONT", Long.toString(sh.pid())).start().waitFor();
        }
        refreshOk(Duration.ofSeconds(10));
        assertEquals(2, shells(), "the hung shell was closed and replaced: " + commands);
    }
}
