package io.headroom.probe.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.headroom.model.EngineState;
import io.headroom.model.MemoryEvents;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The engine's state of each container, one JSON line per container as the deaths script asks
 * {@code docker inspect --format} for it: {@code Id, Name, Status, OOMKilled, ExitCode, StartedAt,
 * FinishedAt, RestartCount} (issue 20). A line that is not such JSON is skipped; the engines' zero time
 * {@code 0001-01-01T00:00:00Z} reads as null. Also the memory-cgroup event counters ({@link #memoryEvents}).
 */
public final class EngineStateParser {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private EngineStateParser() {
    }

    /** States by full container id, in input order. */
    public static Map<String, EngineState> parse(String text) {
        Map<String, EngineState> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String s = line.strip();
            if (!s.startsWith("{") || s.length() > 8192) {
                continue;
            }
            try {
                JsonNode n = JSON.readTree(s);
                String id = n.path("Id").asText("");
                if (id.isEmpty()) {
                    continue;
                }
                String name = n.path("Name").asText("");
                name = name.startsWith("/") ? name.substring(1) : name;
                JsonNode exit = n.get("ExitCode");
                out.put(id, new EngineState(id, name, n.path("Status").asText(null), n.path("OOMKilled").asBoolean(false),
                        exit == null || !exit.canConvertToInt() ? null : exit.asInt(), time(n.path("StartedAt").asText(null)),
                        time(n.path("FinishedAt").asText(null)), n.path("RestartCount").asInt(0)));
            } catch (java.io.IOException | RuntimeException e) {
                // not a state line: skipped
            }
        }
        return out;
    }

    private static Instant time(String s) {
        if (s == null || s.isEmpty() || s.startsWith("0001-01-01")) {
            return null;
        }
        return LogTime.isoInstant(s);
    }

    /**
     * v2 {@code memory.events} ({@code low/high/max/oom/oom_kill[/oom_group_kill]} lines), v1
     * {@code memory.oom_control} ({@code oom_kill N}) and v1 {@code memory.failcnt} (a bare number, given
     * as a line {@code failcnt N}); keys absent stay null.
     */
    public static MemoryEvents memoryEvents(String text) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String[] p = line.strip().split("\\s+");
            if (p.length == 2) {
                kv.put(p[0], p[1]);
            }
        }
        return new MemoryEvents(Numbers.parseLongOrNull(kv.get("oom")), Numbers.parseLongOrNull(kv.get("oom_kill")),
                Numbers.parseLongOrNull(kv.get("max")), Numbers.parseLongOrNull(kv.get("high")),
                Numbers.parseLongOrNull(kv.get("failcnt")));
    }
}
