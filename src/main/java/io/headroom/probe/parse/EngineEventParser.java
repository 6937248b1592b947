package io.headroom.probe.parse;

import io.headroom.model.EngineEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine's {@code oom}/{@code die} events as the deaths script asks {@code docker events --format} for them
 * (issue 20): {@code <TimeNano> <Action> <Actor.ID> <exitCode> <name>} per line, where a missing attribute reads
 * {@code <no value>} (docker) or is empty (podman). Lines of another shape are skipped; the result is oldest first.
 */
public final class EngineEventParser {
    private EngineEventParser() {
    }

    public static List<EngineEvent> parse(String text) {
        List<EngineEvent> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] p = line.replace("<no value>", "-").strip().split(" +", 5);
            if (p.length < 3 || !p[0].matches("[0-9]{1,20}") || !p[1].matches("[a-z_]{1,20}") || !p[2].matches("[0-9a-f]{12,64}")) {
                continue;
            }
            long nanos;
            try {
                nanos = Long.parseLong(p[0]);
            } catch (NumberFormatException e) {
                continue;
            }
            // docker gives nanoseconds; an engine giving seconds (10 digits) is read as such
            Instant t = p[0].length() <= 11 ? Instant.ofEpochSecond(nanos)
                    : Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L);
            Integer exit = p.length > 3 && p[3].matches("-?[0-9]{1,9}") ? Integer.valueOf(p[3]) : null;
            String name = p.length > 4 && p[4].matches("/?[A-Za-z0-9][A-Za-z0-9_.-]{0,254}") ? p[4].replaceFirst("^/", "") : null;
            if (name == null && p.length == 4 && exit == null && p[3].matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,254}")) {
                name = p[3]; // podman: an empty exitCode leaves the name in its place
            }
            out.add(new EngineEvent(t, p[1], p[2], exit, name));
        }
        out.sort(java.util.Comparator.comparing(EngineEvent::time));
        return out;
    }
}
