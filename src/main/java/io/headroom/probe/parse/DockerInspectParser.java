package io.headroom.probe.parse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.headroom.model.ContainerFacts;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Parses the probe's {@code docker-inspect} section: one JSON object per line, produced by
 * {@code docker inspect --format} with the probe's template (fields named as in Docker's
 * ContainerJSON: State.Pid, HostConfig.Memory, Config.Labels …). Works the same against podman's
 * docker-compatible service.
 */
public final class DockerInspectParser {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(20).maxStringLength(1 << 20).maxNumberLength(40).build());
    }

    private DockerInspectParser() {
    }

    /** Parsed containers and the lines that could not be read. */
    public record Result(List<ContainerFacts> containers, List<String> unreadable) {
    }

    public static Result parse(String text, Map<String, Map<String, String>> envById) {
        List<ContainerFacts> out = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode n = JSON.readTree(line);
                String id = text(n, "Id");
                if (id == null || !id.matches("[0-9a-f]{12,64}")) {
                    bad.add("container line without a valid Id");
                    continue;
                }
                String name = text(n, "Name");
                if (name != null && name.startsWith("/")) {
                    name = name.substring(1);
                }
                String files = text(n, "ComposeConfigFiles");
                List<String> fileList = files == null || files.isBlank() ? List.of()
                        : Arrays.stream(files.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
                List<String> command = new ArrayList<>();
                if (text(n, "Path") != null) {
                    command.add(text(n, "Path"));
                }
                n.path("Args").forEach(a -> command.add(a.asText()));
                out.add(new ContainerFacts(id, name == null ? id.substring(0, 12) : name, text(n, "Image"), command,
                        pid(n), text(n, "Status"), text(n, "StartedAt"),
                        n.path("OOMKilled").asBoolean(false), n.path("RestartCount").asInt(0),
                        positive(n, "Memory"), positive(n, "MemoryReservation"), nonZero(n, "MemorySwap"),
                        blankToNull(text(n, "ComposeProject")), blankToNull(text(n, "ComposeService")),
                        blankToNull(text(n, "ComposeWorkingDir")), fileList,
                        envById.getOrDefault(id, Map.of()), null, List.of(), List.of()));
            } catch (java.io.IOException | RuntimeException e) {
                bad.add("unreadable container JSON: " + firstLine(e.getMessage()));
            }
        }
        return new Result(out, bad);
    }

    /** Parses the {@code docker-env} section: lines {@code <id> NAME=value}, a newline in a value sent as U+0001. */
    public static Map<String, Map<String, String>> parseEnv(String text) {
        Map<String, Map<String, String>> byId = new java.util.HashMap<>();
        for (String line : text.split("\n")) {
            int space = line.indexOf(' ');
            int eq = line.indexOf('=', space + 1);
            if (space <= 0 || eq <= space + 1) {
                continue;
            }
            byId.computeIfAbsent(line.substring(0, space), k -> new java.util.LinkedHashMap<>())
                    .put(line.substring(space + 1, eq), line.substring(eq + 1).replace('\u0001', '\n'));
        }
        return byId;
    }

    /** State.Pid: a positive int, else 0 (not running or malformed; never a truncated number). */
    private static int pid(JsonNode n) {
        JsonNode v = n.get("Pid");
        if (v == null || !v.canConvertToInt()) {
            return 0;
        }
        return Math.max(0, v.asInt());
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Long positive(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.canConvertToLong() && v.asLong() > 0 ? v.asLong() : null;
    }

    private static Long nonZero(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.canConvertToLong() && v.asLong() != 0 ? v.asLong() : null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "malformed";
        }
        int nl = s.indexOf('\n');
        return nl > 0 ? s.substring(0, nl) : s;
    }
}
