package io.headroom.probe.parse;

import io.headroom.model.BootUnitRun;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code boot-unit <unit>} section of the deaths script (issue 20): {@code systemctl show -p LoadState -p ActiveState
 * -p Result -p ExecMainStatus -p ExecMainStartTimestamp --timestamp=utc} lines, then {@code --- journal} and the unit's
 * journal of this boot ({@code journalctl -o short-iso}). The value the unit wrote is read from the line the
 * boot script prints ({@code headroom: AVAILABLE_MEMORY_FOR_DASK=<bytes> written to <file>}, see
 * {@code compose.BootSnippets#shScript}); the last such line wins. A start time in a zone other than UTC (an old
 * systemd without {@code --timestamp}) is taken from that journal line instead.
 */
public final class BootUnitParser {
    private static final Pattern WRITTEN = Pattern.compile("headroom: AVAILABLE_MEMORY_FOR_DASK=([0-9]{1,20}) written to (\\S{1,4096})");

    private BootUnitParser() {
    }

    public static BootUnitRun parse(String unit, String text) {
        String load = null;
        String active = null;
        String result = null;
        Integer status = null;
        Instant started = null;
        Long value = null;
        String file = null;
        Instant writtenAt = null;
        boolean journal = false;
        List<String> lines = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.equals("--- journal")) {
                journal = true;
                continue;
            }
            if (!journal) {
                int eq = line.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String v = line.substring(eq + 1).strip();
                switch (line.substring(0, eq)) {
                    case "LoadState" -> load = v.isEmpty() ? null : v;
                    case "ActiveState" -> active = v.isEmpty() ? null : v;
                    case "Result" -> result = v.isEmpty() ? null : v;
                    case "ExecMainStatus" -> status = v.matches("-?[0-9]{1,9}") ? Integer.valueOf(v) : null;
                    case "ExecMainStartTimestamp" -> started = systemdUtc(v);
                    default -> { }
                }
            } else if (!line.isEmpty() && !line.startsWith("-- ")) {
                lines.add(line.length() > 1000 ? line.substring(0, 1000) : line);
                Matcher m = WRITTEN.matcher(line);
                if (m.find()) {
                    try {
                        value = Long.parseLong(m.group(1));
                    } catch (NumberFormatException e) {
                        value = null;
                    }
                    file = m.group(2);
                    writtenAt = LogTime.prefix(line).time();
                }
            }
        }
        if (started == null && writtenAt != null) {
            started = writtenAt;
        }
        if (started == null) {
            status = null; // systemd says 0 for a unit that never ran
        }
        if (lines.size() > 50) {
            lines = lines.subList(lines.size() - 50, lines.size());
        }
        return new BootUnitRun(unit, load, active, result, status, started, value, file, lines);
    }

    /** {@code Sun 2026-12-06 02:10:11 UTC} as an Instant; null when empty, {@code n/a} or another zone. */
    static Instant systemdUtc(String v) {
        String[] p = v.split(" ");
        if (p.length != 4 || !p[3].equals("UTC")) {
            return null;
        }
        try {
            return LocalDateTime.parse(p[1] + "T" + p[2]).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
