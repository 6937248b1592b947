package io.headroom.engine.fix;

import io.headroom.ssh.ShellQuote;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The exclusive locks a push holds on a VM (decision 0020): {@code flock} on {@link #LOCK_NAME} in every directory
 * the push writes in, each held by a command on the VM that ends when its input closes — by {@link #close()}, or
 * when the connection drops, so a lock never outlives its session. Split out of {@link Pusher}; behaviour unchanged.
 */
final class PushLock implements AutoCloseable {
    /** The lock file beside the pushed files; it stays there, empty. */
    static final String LOCK_NAME = ".headroom.lock";
    /** How long a push waits for another push's lock by default, in seconds. */
    static final int WAIT_SECONDS = 10;
    /** What the lock command prints when the VM has no {@code flock} (the push then says so in a sentence). */
    private static final String NO_FLOCK = "no-flock";

    private final List<VmFiles.Held> held;

    private PushLock(List<VmFiles.Held> held) {
        this.held = held;
    }

    /** The lock file in a file's directory that every Headroom push there holds while it commits. */
    static String lockPath(String path) {
        int slash = path.lastIndexOf('/');
        return (slash <= 0 ? "" : path.substring(0, slash)) + "/" + LOCK_NAME;
    }

    /**
     * Takes the exclusive lock of every directory {@code paths} lie in (in path order, so that two pushes never
     * wait for each other in a cycle), waiting at most {@code waitSeconds} for another push to finish. When a lock
     * cannot be taken, records the refusal for every path in {@code audit}, releases what it holds and throws
     * {@link Pusher.CommitRefused} with the reason in a sentence.
     */
    static PushLock take(VmFiles vm, AuditLog audit, String target, List<String> paths, int waitSeconds) throws IOException {
        List<VmFiles.Held> held = new ArrayList<>();
        try {
            for (String lock : paths.stream().map(PushLock::lockPath).distinct().sorted().toList()) {
                String cmd = "command -v flock >/dev/null 2>&1 || { echo " + NO_FLOCK + "; exit 72; }; "
                        + "exec 9>>" + ShellQuote.quote(lock) + " || exit 71; n=0; "
                        + "until flock -n 9; do n=$((n+1)); if [ \"$n\" -ge " + waitSeconds + " ]; then echo held; exit 75; fi;"
                        + " sleep 1; done; echo locked; read hr_done || true";
                VmFiles.Held h = vm.hold(cmd, Duration.ofSeconds(waitSeconds + 30L));
                if (!"locked".equals(h.firstLine())) {
                    String err = firstLine(h.stderr());
                    h.close();
                    String why = "held".equals(h.firstLine())
                            ? "another push holds the lock " + lock + " on " + target + " (waited " + waitSeconds
                            + " s); nothing was changed. Try again when it has finished"
                            : NO_FLOCK.equals(h.firstLine())
                            ? target + " has no flock command (package util-linux), which a push needs to lock " + lock
                            + " against another push; nothing was changed. Install util-linux on " + target + " and push again"
                            : "cannot take the lock " + lock + " on " + target + ": " + (err.isEmpty() ? "no answer" : err)
                            + "; nothing was changed";
                    for (String p : paths) {
                        audit.record(target, p, null, null, null, "lock", "refused: " + why);
                    }
                    throw new Pusher.CommitRefused(why);
                }
                held.add(h);
            }
            return new PushLock(held);
        } catch (IOException | RuntimeException e) {
            new PushLock(held).close();
            throw e;
        }
    }

    /** Releases every lock; the first failure is thrown after all were tried. */
    @Override
    public void close() throws IOException {
        IOException first = null;
        for (VmFiles.Held h : held) {
            try {
                h.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}
