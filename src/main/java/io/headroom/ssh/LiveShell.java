package io.headroom.ssh;

import io.headroom.probe.ProbeException;
import io.headroom.probe.ProbeRunner;
import io.headroom.probe.RefreshScript;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.ChannelInputStream;
import net.schmizz.sshj.connection.channel.direct.Session;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Live mode's light refreshes of one host through ONE long-lived remote shell (decision 0039): the first
 * refresh opens a channel running {@code sh -s} and sends it the refresh script as a function; every refresh
 * after that writes one line, {@code ( hr_refresh 'NONCE' 'ID' 'V' 'DIR'... )}, and reads the shell's output up
 * to that nonce's {@code done} line. sshd then starts no session, login shell or {@code sh} per refresh: the
 * remote cost is one subshell and the script's one {@code grep}.
 *
 * <p>The arguments are the ones {@link RefreshScript#arguments} validated, single-quoted as for an exec. The refresh
 * reads the channel on its own thread (no reader thread per host lives between refreshes; one shared timer closes
 * the channel at the deadline ({@link SshTimer}), which ends the read). A refresh that does not end within its deadline, output over the cap, a shell that exits, or any I/O error
 * closes the shell (its stream can no longer be trusted to be in step) and fails that refresh; the next one opens
 * a new shell. A hung host delays only its own refresh. One shell per SSH client, read by one refresh at a time (a
 * second refresh of the same host meanwhile runs as an exec); closing the client forgets it.
 */
final class LiveShell {
    private static final Map<SSHClient, LiveShell> SHELLS = new ConcurrentHashMap<>();
    private final Session session;
    private final Session.Command command;
    private final OutputStream stdin;
    private final InputStream stdout;
    private final InputStream stderr;
    /** Bytes read past a refresh's done line (none from Headroom's script; kept so a line is never split). */
    private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();
    private final long capBytes;
    private volatile boolean closed;
    private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();

    private LiveShell(Session session, Session.Command command, long capBytes) throws IOException {
        this.session = session;
        this.command = command;
        this.capBytes = capBytes;
        this.stdin = command.getOutputStream();
        this.stdout = command.getInputStream();
        this.stderr = command.getErrorStream();
    }

    /**
     * The light refresh on {@code client}'s shell, opening it first when there is none (or it was closed).
     *
     * @param deadline {@link System#nanoTime()} by which it must have ended; {@code timeout} is what the message names
     * @return the refresh's output, or null when another refresh of the same host holds the shell right now
     * @throws IOException    the channel could not be opened or written: the connection may be gone
     * @throws ProbeException the refresh failed on a working connection (deadline, cap, the shell ended)
     */
    static ProbeRunner.ProbeOutput refresh(SSHClient client, String target, String nonce, List<String> quotedArgs,
                                           long deadline, Duration timeout, long capBytes) throws ProbeException, IOException {
        LiveShell shell = SHELLS.get(client);
        if (shell == null || shell.closed || !shell.session.isOpen()) { // none yet, or it exited since the last refresh
            // opened outside any shared lock: a host slow to open a channel holds up only its own refresh
            LiveShell fresh = open(client, capBytes);
            boolean installed = shell == null ? SHELLS.putIfAbsent(client, fresh) == null : SHELLS.replace(client, shell, fresh);
            if (!installed) {
                fresh.close();
                return null; // another refresh of this host opened one meanwhile: this one runs as an exec
            }
            if (shell != null) {
                shell.close();
            }
            shell = fresh;
        }
        if (!shell.lock.tryLock()) {
            return null; // another refresh of this host is reading the shell: the caller runs this one as an exec
        }
        try {
            return shell.run(target, nonce, quotedArgs, deadline, timeout);
        } catch (ProbeException | IOException | RuntimeException e) {
            SHELLS.remove(client, shell);
            shell.close();
            throw e;
        } finally {
            shell.lock.unlock();
        }
    }

    /** Closes the client's shell, if it has one (the client is being closed, or the shell failed). */
    static void forget(SSHClient client) {
        LiveShell s = SHELLS.remove(client);
        if (s != null) {
            s.close();
        }
    }

    private static LiveShell open(SSHClient client, long capBytes) throws IOException {
        Session session = LostConnection.rethrown(client, client::startSession);
        try {
            Session.Command cmd = session.exec("sh -s");
            LiveShell shell = new LiveShell(session, cmd, capBytes);
            shell.write("hr_refresh() {\n" + RefreshScript.text() + "}\n");
            return shell;
        } catch (IOException | RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
    }

    private ProbeRunner.ProbeOutput run(String target, String nonce, List<String> quotedArgs, long deadline, Duration timeout)
            throws ProbeException, IOException {
        StringBuilder request = new StringBuilder("( hr_refresh ").append(RefreshScript.quote(nonce));
        for (String a : quotedArgs) {
            request.append(' ').append(a);
        }
        String done = "==HR:" + nonce + ":done";
        // at the deadline: end the read here at once (the host may not answer a channel close), then close
        java.util.concurrent.atomic.AtomicBoolean late = new java.util.concurrent.atomic.AtomicBoolean();
        ScheduledFuture<?> watchdog = SshTimer.TIMER.schedule(() -> {
            late.set(true);
            if (stdout instanceof ChannelInputStream in) {
                in.eof();
            }
            close();
        }, Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        try {
            try {
                write(request.append(" )\n").toString());
            } catch (IOException e) {
                if (late.get()) {
                    throw timedOut(target, timeout);
                }
                throw e;
            }
            StringBuilder out = new StringBuilder();
            byte[] carried = pending.toByteArray();
            pending.reset();
            byte[] buf = Arrays.copyOf(carried, Math.max(8192, carried.length));
            int n = carried.length;
            java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
            while (true) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] != '\n') {
                        line.write(buf[i]);
                        continue;
                    }
                    String l = line.toString(StandardCharsets.UTF_8);
                    line.reset();
                    out.append(l).append('\n');
                    if (out.length() > capBytes) {
                        throw tooBig(target);
                    }
                    if (l.startsWith(done)) {
                        pending.write(buf, i + 1, n - i - 1);
                        skipStderr();
                        return new ProbeRunner.ProbeOutput(out.toString(), "", 0, false);
                    }
                }
                if (line.size() > capBytes) {
                    throw tooBig(target);
                }
                try {
                    n = stdout.read(buf);
                } catch (IOException e) {
                    if (late.get()) {
                        throw timedOut(target, timeout);
                    }
                    throw e;
                }
                if (n < 0) {
                    if (late.get()) {
                        throw timedOut(target, timeout);
                    }
                    Integer status = command.getExitStatus();
                    throw new ProbeException(target + ": the remote shell of live mode ended"
                            + (status == null ? "" : " (exit " + status + ")"));
                }
            }
        } finally {
            watchdog.cancel(false);
        }
    }

    private static ProbeException timedOut(String target, Duration timeout) {
        return new ProbeException(target + ": the live refresh did not finish within " + timeout.toSeconds() + " s");
    }

    private ProbeException tooBig(String target) {
        return new ProbeException(target + ": the live refresh sent more than " + capBytes + " bytes");
    }

    /** Drops what the shell wrote on standard error so far without blocking (the script writes nothing there). */
    private void skipStderr() throws IOException {
        int a;
        while ((a = stderr.available()) > 0) {
            stderr.skip(a);
        }
    }

    private void write(String text) throws IOException {
        stdin.write(text.getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    private void close() {
        if (closed) {
            return;
        }
        closed = true;
        // closing waits for the server's CHANNEL_CLOSE: never on the refresh thread
        Thread.ofVirtual().name("live-shell-close").start(() -> closeQuietly(session));
    }

    private static void closeQuietly(Session s) {
        try {
            s.close();
        } catch (IOException | RuntimeException ignored) {
            // the channel or connection is already gone
        }
    }
}
