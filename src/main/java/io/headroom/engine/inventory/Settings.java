package io.headroom.engine.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.headroom.engine.AtomicFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Global settings ({@code settings.yaml} in the config directory, hand-editable). Today one:
 * <b>read-only mode</b> — when on, nothing is written to a VM and nothing restarted, from the CLI or
 * the desktop app (support staff turn it on for customer clusters). Scans are read-only anyway.
 * The environment variable {@code HEADROOM_READ_ONLY=1} (or {@code true}) turns it on for one
 * process whatever the file says; it cannot turn it off.
 *
 * @param readOnly true when changes are forbidden
 * @param source   where the value came from, for messages ("default", the file, the variable)
 */
public record Settings(boolean readOnly, String source) {
    public static final String ENV = "HEADROOM_READ_ONLY";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** The settings of this process: the default file and the environment. */
    public static Settings load() throws IOException {
        return load(ConfigPaths.settingsFile(), System.getenv());
    }

    /** Reads {@code file} (missing = defaults: changes allowed) and applies {@link #ENV}. */
    public static Settings load(Path file, Map<String, String> env) throws IOException {
        Settings s = new Settings(false, "default");
        if (Files.exists(file)) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            JsonNode root = text.isBlank() ? null : YAML.readTree(text);
            if (root != null && !root.isObject()) {
                throw new IOException(file + ": expected 'readOnly: true' or 'readOnly: false'");
            }
            JsonNode ro = root == null ? null : root.get("readOnly");
            if (ro != null) {
                if (!ro.isBoolean()) {
                    throw new IOException(file + ": readOnly must be true or false, not '" + ro.asText() + "'");
                }
                s = new Settings(ro.booleanValue(), file.toString());
            }
        }
        String v = env.get(ENV);
        if (v != null && (v.equals("1") || v.toLowerCase(Locale.ROOT).equals("true") || v.toLowerCase(Locale.ROOT).equals("yes"))) {
            s = new Settings(true, ENV + "=" + v);
        }
        return s;
    }

    /** Writes the read-only setting to {@code file} atomically. */
    public static void saveReadOnly(Path file, boolean readOnly) throws IOException {
        AtomicFile.writeString(file, "# Headroom settings (see 'headroom settings')\n"
                + "# readOnly: true = nothing is written to VMs and nothing restarted (support staff on customer clusters)\n"
                + "readOnly: " + readOnly + "\n");
    }
}
