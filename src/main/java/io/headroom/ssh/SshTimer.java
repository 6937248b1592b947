package io.headroom.ssh;

import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The SSH layer's one timer thread: the keep-alive ticks ({@link SharedKeepAlive}) and the live refreshes'
 * deadlines ({@link LiveShell}). Its tasks only look, flag, or hand work that may block (a socket write) to a
 * virtual thread, so one stalled host never holds another's timer. A cancelled task leaves the queue at once, and
 * with it what it holds (a closed client).
 */
final class SshTimer {
    static final ScheduledThreadPoolExecutor TIMER = create();

    private SshTimer() {
    }

    private static ScheduledThreadPoolExecutor create() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "headroom-ssh-timer");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        return t;
    }
}
