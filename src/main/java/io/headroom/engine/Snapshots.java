package io.headroom.engine;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.model.DeathReport;
import io.headroom.model.ScanReport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code .headroom.json} snapshots: the whole scan (every fact and finding) so a report can be
 * opened offline — support staff receive them from customers. Format:
 * {@code {"format": "headroom-snapshot", "formatVersion": 1, "summary": <scan --json>, "report": <full model>}},
 * and, when the snapshot was saved by {@code headroom deaths --snapshot}, {@code "deaths": <deaths --json>}
 * ({@link DeathsJson}; issue 20): an optional key, so older Headroom versions still open such a snapshot.
 * Writes are atomic (temporary file + rename): a crash never leaves half a snapshot.
 */
public final class Snapshots {
    public static final String FORMAT = "headroom-snapshot";
    public static final int FORMAT_VERSION = 1;
    /** Snapshots larger than this are refused when opening. */
    public static final long MAX_BYTES = 64L * 1024 * 1024;

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    private Snapshots() {
    }

    /** A snapshot's content: the scan, and the deaths when they were fetched (else null). */
    public record Snapshot(ScanReport report, DeathReport deaths) {
    }

    public static String toJson(ScanReport report) throws IOException {
        return toJson(report, null);
    }

    /** @param deaths the deaths of the same VMs, or null */
    public static String toJson(ScanReport report, DeathReport deaths) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("formatVersion", FORMAT_VERSION);
        root.set("summary", ReportJson.toNode(report));
        root.set("report", MAPPER.valueToTree(report));
        if (deaths != null) {
            root.set("deaths", DeathsJson.toNode(deaths));
        }
        return MAPPER.writeValueAsString(root);
    }

    public static void write(ScanReport report, Path file) throws IOException {
        write(report, null, file);
    }

    /** @param deaths the deaths of the same VMs, or null */
    public static void write(ScanReport report, DeathReport deaths, Path file) throws IOException {
        AtomicFile.writeString(file, toJson(report, deaths));
    }

    public static ScanReport read(Path file) throws IOException {
        return readSnapshot(file).report();
    }

    /** The scan and, when the snapshot carries them, the deaths. */
    public static Snapshot readSnapshot(Path file) throws IOException {
        if (Files.size(file) > MAX_BYTES) {
            throw new IOException(file + " is larger than " + MAX_BYTES / (1024 * 1024) + " MiB; not a Headroom snapshot");
        }
        return parseSnapshot(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    public static ScanReport read(InputStream in, String name) throws IOException {
        byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
            throw new IOException(name + " is too large to be a Headroom snapshot");
        }
        return parse(new String(bytes, StandardCharsets.UTF_8), name);
    }

    static ScanReport parse(String json, String name) throws IOException {
        return parseSnapshot(json, name).report();
    }

    static Snapshot parseSnapshot(String json, String name) throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IOException(name + " is not JSON: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        if (root == null || !FORMAT.equals(root.path("format").asText())) {
            throw new IOException(name + " is not a Headroom snapshot (no \"format\": \"" + FORMAT + "\")");
        }
        int v = root.path("formatVersion").asInt(-1);
        if (v != FORMAT_VERSION) {
            throw new IOException(name + " has snapshot format version " + v + "; this Headroom reads version " + FORMAT_VERSION);
        }
        ScanReport report;
        try {
            report = MAPPER.treeToValue(root.get("report"), ScanReport.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException(name + ": the report part is damaged: " + e.getMessage().lines().findFirst().orElse(""));
        }
        JsonNode deaths = root.get("deaths");
        try {
            return new Snapshot(report, deaths == null || deaths.isNull() ? null : DeathsJson.fromNode(deaths));
        } catch (IOException e) {
            throw new IOException(name + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
