package io.headroom.probe.parse;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Wall-clock time prefixes of the logs the death timeline reads (issue 20), each parsed without regex:
 * {@code dmesg --time-format iso} ({@code 2026-12-05T18:19:04,774984+00:00}), {@code journalctl -o
 * short-iso} ({@code 2026-12-05T18:19:04+0000}), the engine's {@code docker logs --timestamps}
 * ({@code 2026-12-05T18:19:04.123456789Z}) and Python logging's asctime ({@code 2026-12-05 18:19:04,123},
 * read as UTC: the lab images and Dask's default containers run in UTC).
 */
public final class LogTime {
    private LogTime() {
    }

    /**
     * The time at the start of {@code line} and where the rest begins.
     *
     * @param time the instant, or null when the line starts with none of the forms
     * @param rest the index of the first character after the time and its separating blank
     */
    public record Prefix(Instant time, int rest) {
        static final Prefix NONE = new Prefix(null, 0);
    }

    public static Prefix prefix(String line) {
        if (line.length() < 19 || !digits(line, 0, 4) || line.charAt(4) != '-' || line.charAt(7) != '-'
                || line.charAt(13) != ':' || line.charAt(16) != ':') {
            return Prefix.NONE;
        }
        char sep = line.charAt(10);
        if (sep == 'T') {
            int end = line.indexOf(' ');
            String token = end < 0 ? line : line.substring(0, end);
            Instant t = isoInstant(token);
            return t == null ? Prefix.NONE : new Prefix(t, end < 0 ? line.length() : end + 1);
        }
        if (sep == ' ' && line.length() >= 23 && (line.charAt(19) == ',' || line.charAt(19) == '.')
                && digits(line, 20, 23)) {
            try {
                LocalDateTime local = LocalDateTime.parse(line.substring(0, 10) + "T" + line.substring(11, 19)
                        + "." + line.substring(20, 23));
                int rest = line.length() > 23 && line.charAt(23) == ' ' ? 24 : 23;
                return new Prefix(local.toInstant(ZoneOffset.UTC), rest);
            } catch (DateTimeParseException e) {
                return Prefix.NONE;
            }
        }
        return Prefix.NONE;
    }

    /** An ISO-8601 date-time with offset, comma or dot fraction, offset as Z, +hh:mm or +hhmm; null when not. */
    static Instant isoInstant(String token) {
        String s = token.replace(',', '.');
        int n = s.length();
        if (n > 5 && (s.charAt(n - 5) == '+' || s.charAt(n - 5) == '-') && digits(s, n - 4, n)) {
            s = s.substring(0, n - 2) + ":" + s.substring(n - 2); // +0000 -> +00:00
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static boolean digits(String s, int from, int to) {
        if (to > s.length()) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
