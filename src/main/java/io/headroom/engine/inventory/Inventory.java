package io.headroom.engine.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The clusters file: YAML, one top-level key per cluster, written to be edited by hand:
 * <pre>
 * prod:
 *   user: ubuntu
 *   jump: bastion.example.com
 *   sudo: auto
 *   reserve: 1GiB
 *   scheduler: http://10.0.0.5:8787
 *   hosts:
 *     - vm-1
 *     - ubuntu@vm-2:2222
 * </pre>
 * Adding a cluster appends text (comments and layout of the rest stay as the user wrote them) and
 * replaces the file atomically.
 */
public final class Inventory {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private final Path file;
    private final Map<String, Cluster> clusters;

    private Inventory(Path file, Map<String, Cluster> clusters) {
        this.file = file;
        this.clusters = clusters;
    }

    /** Loads the file; a missing file is an empty inventory. */
    public static Inventory load(Path file) throws Inventory.InventoryException {
        if (!Files.exists(file)) {
            return new Inventory(file, new LinkedHashMap<>());
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return new Inventory(file, parse(text, file));
        } catch (IOException e) {
            throw new Inventory.InventoryException("cannot read " + file + ": " + e.getMessage());
        }
    }

    static Map<String, Cluster> parse(String text, Path file) throws Inventory.InventoryException {
        Map<String, Cluster> out = new LinkedHashMap<>();
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (IOException e) {
            throw new Inventory.InventoryException(file + " is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || root.isNull() || root.isMissingNode()) {
            return out;
        }
        if (!root.isObject()) {
            throw new Inventory.InventoryException(file + ": expected cluster names at the top level");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode c = e.getValue();
            if (!c.isObject()) {
                throw new Inventory.InventoryException(file + ": cluster '" + e.getKey() + "' must be a mapping with hosts:");
            }
            List<String> hosts = new ArrayList<>();
            JsonNode h = c.get("hosts");
            if (h == null || !h.isArray() || h.isEmpty()) {
                throw new Inventory.InventoryException(file + ": cluster '" + e.getKey() + "' has no hosts: list");
            }
            h.forEach(x -> hosts.add(x.asText()));
            String sudo = text(c, "sudo");
            if (sudo != null && !List.of("auto", "never", "always").contains(sudo)) {
                throw new Inventory.InventoryException(file + ": cluster '" + e.getKey() + "': sudo must be auto, never or always");
            }
            out.put(e.getKey(), new Cluster(e.getKey(), hosts, text(c, "user"), text(c, "jump"), sudo,
                    text(c, "reserve"), text(c, "scheduler")));
        }
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    public Path file() {
        return file;
    }

    public Map<String, Cluster> clusters() {
        return Map.copyOf(clusters);
    }

    public Cluster get(String name) throws Inventory.InventoryException {
        Cluster c = clusters.get(name);
        if (c == null) {
            throw new Inventory.InventoryException("no cluster '" + name + "' in " + file
                    + (clusters.isEmpty() ? " (the file has none)" : " (known: " + String.join(", ", clusters.keySet()) + ")"));
        }
        return c;
    }

    /** Appends a new cluster to the file, atomically. Refuses to overwrite an existing name. */
    public void add(Cluster c) throws Inventory.InventoryException {
        if (!NAME.matcher(c.name()).matches()) {
            throw new Inventory.InventoryException("cluster name '" + c.name() + "' must be letters, digits, '.', '_' or '-'");
        }
        if (clusters.containsKey(c.name())) {
            throw new Inventory.InventoryException("a cluster named '" + c.name() + "' already exists in " + file);
        }
        try {
            String existing = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            StringBuilder sb = new StringBuilder(existing);
            if (!existing.isEmpty() && !existing.endsWith("\n")) {
                sb.append('\n');
            }
            sb.append(c.name()).append(":\n");
            appendField(sb, "user", c.user());
            appendField(sb, "jump", c.jump());
            appendField(sb, "sudo", c.sudo());
            appendField(sb, "reserve", c.reserve());
            appendField(sb, "scheduler", c.scheduler());
            sb.append("  hosts:\n");
            for (String h : c.hosts()) {
                sb.append("    - ").append(quote(h)).append('\n');
            }
            parse(sb.toString(), file); // never write a file we cannot read back
            writeAtomically(sb.toString());
            clusters.put(c.name(), c);
        } catch (IOException e) {
            throw new Inventory.InventoryException("cannot write " + file + ": " + e.getMessage());
        }
    }

    /**
     * Removes a cluster: its top-level block (from its {@code name:} line to the next top-level key)
     * is cut from the text; everything else stays byte for byte. Atomic.
     */
    public void remove(String name) throws InventoryException {
        if (!clusters.containsKey(name)) {
            throw new InventoryException("no cluster '" + name + "' in " + file);
        }
        try {
            List<String> lines = new ArrayList<>(List.of(Files.readString(file, StandardCharsets.UTF_8).split("\n", -1)));
            int start = -1;
            int end = lines.size();
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i);
                boolean topLevel = !l.isEmpty() && !Character.isWhitespace(l.charAt(0)) && !l.startsWith("#");
                if (start < 0 && topLevel && (l.startsWith(name + ":") || l.startsWith("\"" + name + "\":"))) {
                    start = i;
                } else if (start >= 0 && topLevel) {
                    end = i;
                    break;
                }
            }
            if (start < 0) {
                throw new InventoryException("cluster '" + name + "' is not written as a plain top-level key in " + file
                        + "; edit the file by hand");
            }
            lines.subList(start, end).clear();
            String text = String.join("\n", lines);
            Map<String, Cluster> after = parse(text, file);
            if (after.containsKey(name) || after.size() != clusters.size() - 1) {
                throw new InventoryException("removing '" + name + "' would change other clusters in " + file + "; edit it by hand");
            }
            writeAtomically(text);
            clusters.remove(name);
        } catch (IOException e) {
            throw new InventoryException("cannot write " + file + ": " + e.getMessage());
        }
    }

    private void writeAtomically(String text) throws IOException {
        io.headroom.engine.AtomicFile.writeString(file, text);
    }

    private static void appendField(StringBuilder sb, String key, String value) {
        if (value != null && !value.isBlank()) {
            sb.append("  ").append(key).append(": ").append(quote(value)).append('\n');
        }
    }

    /** Double-quotes a YAML scalar when it is not plainly safe. */
    static String quote(String v) {
        if (v.matches("[A-Za-z0-9@._/:\\[\\]-]+") && !v.startsWith("[") && !v.contains(": ")) {
            return v;
        }
        return '"' + v.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** A problem with the inventory, in plain words. */
    public static final class InventoryException extends Exception {
        private static final long serialVersionUID = 1L;

        public InventoryException(String message) {
            super(message);
        }
    }
}
