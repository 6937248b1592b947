package io.headroom.ssh;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The connect deadline: handshake + authentication must finish within the connect timeout, but
 * time the user spends in a prompt (host key, passphrase, password) does not count: a prompt
 * cancels the pending cut-off and the end of the prompt schedules a fresh one.
 */
final class ConnectDeadline {
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ssh-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final long millis;
    private final Runnable onExpiry;
    private ScheduledFuture<?> pending;
    private boolean done;

    ConnectDeadline(long millis, Runnable onExpiry) {
        this.millis = millis;
        this.onExpiry = onExpiry;
    }

    synchronized void start() {
        if (!done) {
            pending = WATCHDOG.schedule(onExpiry, millis, TimeUnit.MILLISECONDS);
        }
    }

    synchronized void stop() {
        done = true;
        if (pending != null) {
            pending.cancel(false);
        }
    }

    <T> T prompt(java.util.function.Supplier<T> ask) {
        synchronized (this) {
            if (pending != null) {
                pending.cancel(false);
            }
        }
        try {
            return ask.get();
        } finally {
            start();
        }
    }

    /** The prompter seen by one connection attempt: prompts pause its deadline. */
    Prompter pausing(Prompter p) {
        ConnectDeadline d = this;
        return new Prompter() {
            @Override
            public HostKeyDecision unknownHostKey(String host, String keyType, String fingerprint) {
                return d.prompt(() -> p.unknownHostKey(host, keyType, fingerprint));
            }

            @Override
            public void hostKeyChanged(HostKeyMismatch mismatch) {
                p.hostKeyChanged(mismatch);
            }

            @Override
            public char[] passphrase(String keyFile) {
                return d.prompt(() -> p.passphrase(keyFile));
            }

            @Override
            public char[] password(String userAtHost) {
                return d.prompt(() -> p.password(userAtHost));
            }

            @Override
            public char[] keyboardInteractive(String userAtHost, String prompt, boolean echo) {
                return d.prompt(() -> p.keyboardInteractive(userAtHost, prompt, echo));
            }
        };
    }
}
