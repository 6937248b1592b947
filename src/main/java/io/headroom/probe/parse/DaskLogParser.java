package io.headroom.probe.parse;

import io.headroom.model.DaskLogEvent;
import io.headroom.model.DaskLogEvent.Kind;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the memory-related lines of a Dask container's log (issue 20), in every Dask band Headroom
 * models. The messages, from distributed's source:
 * <ul>
 *   <li>nanny, terminate threshold: up to 2022.x {@code "Worker exceeded %d%% memory budget. Restarting"}
 *       (nanny.py, 2021.12.0); from 2022.x on {@code "Worker {address} (pid={pid}) exceeded {95}% memory
 *       budget. Restarting..."} (worker_memory.py, 2022.12.1 line 389, 2024.12.1 line 426, 2026.7.1 line 411);</li>
 *   <li>nanny, worker gone: {@code "Worker process %d was killed by signal %d"}, {@code "... by unknown
 *       signal"}, {@code "Worker process %d exited with status %d"} (nanny.py _death_message, 2022.12.1
 *       line 741, 2024.12.1 line 785, f-strings in 2026.7.1);</li>
 *   <li>worker: {@code "Worker is at %d%% memory usage. Pausing worker."} / {@code "... Resuming worker."} and
 *       {@code "Unmanaged memory use is high."} (worker.py in 2021.12.0, worker_memory.py from 2022.x);</li>
 *   <li>scheduler: {@code "Task %s marked as failed because %d workers died while trying to run it"}
 *       (scheduler.py remove_worker, 2021.12.0 through 2026.7.1), the log side of KilledWorker.</li>
 * </ul>
 * A line may start with the engine's {@code --timestamps} prefix; Python logging's asctime follows.
 * When both agree within {@link #CLOCK_SLACK}, the finer one (Dask's, milliseconds; podman's prefix has
 * whole seconds) is kept; when they disagree the engine's is kept. ANSI colours and control characters
 * are removed and lines are capped at {@link #MAX_LINE} characters: a multi-MB line or binary noise
 * costs one pass and yields at most one event.
 */
public final class DaskLogParser {
    /** Characters kept of one log line. */
    public static final int MAX_LINE = 2000;
    /** How far the engine's and Dask's time of one line may differ before the engine's wins. */
    public static final Duration CLOCK_SLACK = Duration.ofSeconds(2);

    private DaskLogParser() {
    }

    public static List<DaskLogEvent> parse(String containerId, String text) {
        List<DaskLogEvent> out = new ArrayList<>();
        int from = 0;
        int n = text.length();
        while (from < n) {
            int nl = text.indexOf('\n', from);
            int end = nl < 0 ? n : nl;
            String raw = text.substring(from, Math.min(end, from + 4 * MAX_LINE));
            from = end + 1;
            DaskLogEvent e = line(containerId, clean(raw));
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    /** The line without ANSI escape sequences and control characters, at most MAX_LINE characters. */
    static String clean(String raw) {
        StringBuilder b = new StringBuilder(Math.min(raw.length(), MAX_LINE));
        for (int i = 0; i < raw.length() && b.length() < MAX_LINE; i++) {
            char c = raw.charAt(i);
            if (c == 0x1b) {
                int j = i + 1;
                if (j < raw.length() && raw.charAt(j) == '[') {
                    j++;
                    while (j < raw.length() && raw.charAt(j) >= 0x20 && raw.charAt(j) <= 0x3f) {
                        j++;
                    }
                }
                i = j; // skip the final byte too
                continue;
            }
            if (c < 0x20 && c != '\t' || c == 0x7f || c == '\uFFFD') {
                continue;
            }
            b.append(c);
        }
        return b.toString().strip();
    }

    /** One cleaned line as an event, or null when it is none of the messages above. */
    public static DaskLogEvent line(String containerId, String line) {
        Kind kind;
        int at;
        if ((at = line.indexOf("% memory budget. Restarting")) >= 0 && line.lastIndexOf("exceeded ", at) >= 0) {
            kind = Kind.NANNY_RESTART;
        } else if ((at = line.indexOf("Worker process ")) >= 0 && line.indexOf(" was killed by ", at) > 0) {
            kind = Kind.KILLED_BY_SIGNAL;
        } else if (at >= 0 && line.indexOf(" exited with status ", at) > 0) {
            kind = Kind.EXITED;
        } else if (line.contains("memory usage. Pausing worker")) {
            kind = Kind.PAUSED;
        } else if (line.contains("memory usage. Resuming worker")) {
            kind = Kind.RESUMED;
        } else if (line.contains("Unmanaged memory use is high")) {
            kind = Kind.UNMANAGED_HIGH;
        } else if ((at = line.indexOf(" marked as failed because ")) > 0 && line.contains(" workers died")) {
            kind = Kind.TASK_FAILED;
        } else {
            return null;
        }
        Instant time = time(line);
        Integer pid = null;
        Integer number = null;
        String address = null;
        String key = null;
        switch (kind) {
            case NANNY_RESTART -> {
                int p = line.indexOf("(pid=");
                pid = p < 0 ? null : intAt(line, p + 5);
                int pct = line.indexOf("% memory budget");
                number = intBefore(line, pct);
                int w = line.indexOf("Worker ");
                int ex = line.indexOf(" exceeded ");
                if (w >= 0 && ex > w + 7) {
                    String between = line.substring(w + 7, ex);
                    int sp = between.indexOf(' ');
                    address = sp < 0 ? between : between.substring(0, sp);
                }
            }
            case KILLED_BY_SIGNAL, EXITED -> {
                int p = line.indexOf("Worker process ") + 15;
                pid = intAt(line, p);
                int s = line.indexOf(kind == Kind.EXITED ? " exited with status " : " was killed by signal ");
                number = s < 0 ? null : intAt(line, s + (kind == Kind.EXITED ? 20 : 22));
            }
            case PAUSED, RESUMED -> {
                int w = line.indexOf("Worker is at ");
                number = w < 0 ? null : intAt(line, w + 13);
            }
            case TASK_FAILED -> {
                int t = line.lastIndexOf("Task ", at);
                key = t < 0 ? null : line.substring(t + 5, at);
                number = intAt(line, at + 26);
            }
            default -> {
            }
        }
        return new DaskLogEvent(time, kind, containerId, pid, number, address, key, line);
    }

    /** The engine's prefix and/or Dask's asctime, as described in the class comment. */
    static Instant time(String line) {
        LogTime.Prefix first = LogTime.prefix(line);
        if (first.time() == null || line.charAt(10) != 'T') {
            return first.time(); // none, or only Dask's asctime
        }
        Instant dask = LogTime.prefix(line.substring(first.rest())).time();
        if (dask == null) {
            return first.time();
        }
        return Duration.between(first.time(), dask).abs().compareTo(CLOCK_SLACK) <= 0 ? dask : first.time();
    }

    private static Integer intAt(String s, int i) {
        int j = i;
        while (j < s.length() && j - i < 10 && s.charAt(j) >= '0' && s.charAt(j) <= '9') {
            j++;
        }
        return j == i ? null : Integer.valueOf(s.substring(i, j));
    }

    private static Integer intBefore(String s, int end) {
        if (end <= 0) {
            return null;
        }
        int i = end;
        while (i > 0 && end - i < 9 && s.charAt(i - 1) >= '0' && s.charAt(i - 1) <= '9') {
            i--;
        }
        return i == end ? null : Integer.valueOf(s.substring(i, end));
    }
}
