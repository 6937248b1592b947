package io.headroom.engine.fix;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The operator-side audit log: one JSON object per line — when, who, target, file, hashes before
 * and after, action, result. Appended, never rewritten. Never contains secrets.
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

    public synchronized void record(String target, String path, String shaBefore, String shaAfter, String action, String result)
            throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("time", Instant.now().toString());
        n.put("user", System.getProperty("user.name"));
        n.put("target", target);
        n.put("file", path);
        n.put("sha256Before", shaBefore);
        n.put("sha256After", shaAfter);
        n.put("action", action);
        n.put("result", result);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, JSON.writeValueAsString(n) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
