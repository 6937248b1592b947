package io.headroom.ssh;

import io.headroom.probe.CappedCollector;
import io.headroom.probe.ProbeException;
import io.headroom.probe.ProbeRunner;
import io.headroom.probe.ProbeScript;
import io.headroom.probe.RefreshScript;
import net.schmizz.sshj.connection.channel.direct.Session;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the probe over an exec channel: {@code sh -s -- NONCE CAP SUDO} with the script on stdin.
 * The command line carries only Headroom's own values (hex nonce, a number, a fixed word); the light
 * refresh (through the host's {@link LiveShell}) adds the previous scan's container ids and cgroup paths, validated and
 * single-quoted. Output is drained with caps; the whole run has a deadline (sshj has no channel read
 * timeout). A connection that died is re-opened once.
 */
public final class SshProbeRunner implements ProbeRunner {
    /** How the probe may use sudo for docker. */
    public enum SudoMode { AUTO, NEVER, ALWAYS }

    private final SshConnectionPool pool;
    private final String target;
    private final SudoMode sudo;

    public SshProbeRunner(SshConnectionPool pool, String target, SudoMode sudo) {
        this.pool = pool;
        this.target = target;
        this.sudo = sudo;
    }

    @Override
    public ProbeOutput run(String nonce, Duration timeout) throws ProbeException {
        requireHex(nonce);
        return execCommand("sh -s -- " + nonce + " " + ProbeScript.DEFAULT_SECTION_CAP_BYTES + " "
                + sudo.name().toLowerCase(java.util.Locale.ROOT), ProbeScript.text(), timeout);
    }

    /** Runs {@code script} as {@code sh -s -- NONCE ARGS...}; the arguments are checked, never remote text. */
    @Override
    public ProbeOutput runScript(String script, String nonce, List<String> args, Duration timeout) throws ProbeException {
        return execCommand("sh -s -- " + nonce + " " + String.join(" ", ProbeRunner.checkedArguments(nonce, args)), script, timeout);
    }

    /**
     * Live mode's light refresh on the warm connection, through the host's long-lived shell ({@link LiveShell},
     * decision 0039), or as {@code sh -s -- NONCE 'ID' 'V' 'DIR'...} when another refresh holds that shell; each
     * argument validated by {@link RefreshScript#arguments} and single-quoted ({@link RefreshScript#quote}).
     */
    @Override
    public ProbeOutput refresh(String nonce, List<String> arguments, Duration timeout) throws ProbeException {
        requireHex(nonce);
        List<String> quoted = arguments.stream().map(RefreshScript::quote).toList();
        return onWarmConnection("the live refresh", timeout, (c, deadline) -> {
            ProbeOutput out = LiveShell.refresh(c.client(), target, nonce, quoted, deadline, timeout, maxOutputBytes());
            return out != null ? out
                    : exec(c, "sh -s -- " + nonce + " " + String.join(" ", quoted), RefreshScript.text(), deadline, timeout);
        });
    }

    private static void requireHex(String nonce) {
        if (!nonce.matches("[0-9a-f]{1,64}")) {
            throw new IllegalArgumentException("nonce must be hex");
        }
    }

    /** One exec of {@code command} with {@code script} on its stdin, re-opening a dead warm connection once. */
    private ProbeOutput execCommand(String command, String script, Duration timeout) throws ProbeException {
        return onWarmConnection("the probe", timeout, (c, deadline) -> exec(c, command, script, deadline, timeout));
    }

    /** What runs on a leased connection by a deadline ({@link System#nanoTime()}). */
    private interface OnConnection {
        ProbeOutput run(SshConnector.Connection c, long deadline) throws IOException, ProbeException;
    }

    /** Runs {@code work} on the target's pooled connection, re-opening it once when it turns out to be lost. */
    private ProbeOutput onWarmConnection(String what, Duration timeout, OnConnection work) throws ProbeException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int attempt = 0; ; attempt++) {
            SshConnector.Connection c;
            try {
                c = pool.get(target);
            } catch (SshException e) {
                throw new ProbeException(e.getMessage(), e);
            }
            try {
                return work.run(c, deadline);
            } catch (IOException | IllegalStateException e) {
                // a transport that died after the pool handed the connection out (seen in lab/bench/fleet at load 20):
                // startSession reports it as the cause of death (LostConnection); sshj's other checks may still
                // throw IllegalStateException("Not connected"), a lost connection too
                pool.invalidate(target);
                if (attempt >= 1 || System.nanoTime() > deadline) {
                    throw new ProbeException(target + ": connection lost during " + what + ": " + e.getMessage(), e);
                }
            } finally {
                pool.release(target, c);
            }
        }
    }

    private ProbeOutput exec(SshConnector.Connection c, String command, String script, long deadline, Duration timeout)
            throws IOException, ProbeException {
        Session session = LostConnection.rethrown(c.client(), c.client()::startSession);
        try {
            Session.Command cmd = session.exec(command);
            CappedCollector out = CappedCollector.head(cmd.getInputStream(), maxOutputBytes(), "ssh-probe-out");
            CappedCollector err = CappedCollector.tail(cmd.getErrorStream(), 4096, "ssh-probe-err");
            // stdin on its own thread: a VM that never reads its input cannot block the scan
            Thread.ofVirtual().name("ssh-probe-in").start(() -> {
                try (OutputStream stdin = cmd.getOutputStream()) {
                    stdin.write(script.getBytes(StandardCharsets.UTF_8));
                    stdin.flush(); // the whole script must be sent before EOF, whatever the remote window
                } catch (IOException e) {
                    // the remote side went away; the output side reports it
                }
            });
            try {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (!out.await(Math.max(1, left))) {
                    throw new ProbeException(target + ": the probe did not finish within " + timeout.toSeconds() + " s");
                }
                cmd.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())), TimeUnit.MILLISECONDS);
                err.await(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProbeException(target + ": scan cancelled");
            }
            Integer status = cmd.getExitStatus();
            return new ProbeOutput(out.text(), err.text(), status == null ? -1 : status, out.truncated());
        } finally {
            // closing waits for the server's CHANNEL_CLOSE: never on the scan thread
            Thread.ofVirtual().name("ssh-probe-close").start(() -> {
                try {
                    session.close();
                } catch (IOException | RuntimeException ignored) {
                    // the channel or connection is already gone
                }
            });
        }
    }
}
