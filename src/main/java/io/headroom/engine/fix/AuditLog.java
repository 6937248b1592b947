package io.headroom.engine.fix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The operator-side audit log: one JSON object per line — when, who, target, file, hashes before
 * and after, the backup kept, action, result. Appended (one write per line), never rewritten. Never
 * contains secrets or file contents.
 */
public final class AuditLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    public AuditLog(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** One line of the log. Hashes are SHA-256 hex or null. */
    public record Entry(String time, String user, String target, String file, String sha256Before, String sha256After,
                        String backup, String action, String result) {
    }

    /** Appends one entry stamped with the current time and the operator's user name. */
    public synchronized void record(String target, String path, String shaBefore, String shaAfter, String backup, String action,
                                    String result) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("time", Instant.now().toString());
        n.put("user", System.getProperty("user.name"));
        n.put("target", target);
        n.put("file", path);
        n.put("sha256Before", shaBefore);
        n.put("sha256After", shaAfter);
        n.put("backup", backup);
        n.put("action", action);
        n.put("result", result);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, JSON.writeValueAsString(n) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Every readable entry, oldest first; unreadable lines are skipped. */
    public synchronized List<Entry> entries() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(AuditLog::parse).flatMap(Optional::stream).toList();
    }

    /** The last successful apply to {@code path} on {@code target} that kept {@code backup}. */
    public Optional<Entry> lastApply(String target, String path, String backup) throws IOException {
        Entry found = null;
        for (Entry e : entries()) {
            if ("apply".equals(e.action()) && "ok".equals(e.result()) && target.equals(e.target()) && path.equals(e.file())
                    && backup.equals(e.backup())) {
                found = e;
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * The last successful write Headroom made to {@code path} on {@code target} (an apply or a
     * rollback): its {@code sha256After} is the content Headroom left there.
     */
    public Optional<Entry> lastWrite(String target, String path) throws IOException {
        Entry found = null;
        for (Entry e : entries()) {
            if (("apply".equals(e.action()) || "rollback".equals(e.action())) && "ok".equals(e.result())
                    && target.equals(e.target()) && path.equals(e.file())) {
                found = e;
            }
        }
        return Optional.ofNullable(found);
    }

    private static Optional<Entry> parse(String line) {
        try {
            JsonNode n = JSON.readTree(line);
            if (n == null || !n.isObject()) {
                return Optional.empty();
            }
            return Optional.of(new Entry(s(n, "time"), s(n, "user"), s(n, "target"), s(n, "file"), s(n, "sha256Before"),
                    s(n, "sha256After"), s(n, "backup"), s(n, "action"), s(n, "result")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String s(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
