package io.headroom.engine.inventory;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Where Headroom keeps its files, per platform convention. */
public final class ConfigPaths {
    private ConfigPaths() {
    }

    /**
     * Linux and other Unix: {@code $XDG_CONFIG_HOME/headroom} or {@code ~/.config/headroom}; macOS:
     * {@code ~/Library/Application Support/Headroom}; Windows: {@code %APPDATA%\Headroom}.
     */
    public static Path configDir() {
        return configDir(System.getProperty("os.name", ""), System.getenv(), System.getProperty("user.home"));
    }

    static Path configDir(String osName, Map<String, String> env, String home) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.contains("win")) {
            String appData = env.get("APPDATA");
            return appData != null ? Path.of(appData, "Headroom") : Path.of(home, "AppData", "Roaming", "Headroom");
        }
        if (os.contains("mac")) {
            return Path.of(home, "Library", "Application Support", "Headroom");
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        return xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg, "headroom") : Path.of(home, ".config", "headroom");
    }

    /** The default inventory file. */
    public static Path inventoryFile() {
        return configDir().resolve("clusters.yaml");
    }

    /** The settings file ({@code settings.yaml} beside the inventory). */
    public static Path settingsFile() {
        return configDir().resolve("settings.yaml");
    }

    /** The audit log of pushes and rollbacks (JSON lines). */
    public static Path auditLogFile() {
        return stateDir(System.getProperty("os.name", ""), System.getenv(), System.getProperty("user.home")).resolve("audit.jsonl");
    }

    /**
     * Linux and other Unix: {@code $XDG_STATE_HOME/headroom} or {@code ~/.local/state/headroom};
     * macOS and Windows: the config directory.
     */
    static Path stateDir(String osName, Map<String, String> env, String home) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.contains("win") || os.contains("mac")) {
            return configDir(osName, env, home);
        }
        String xdg = env.get("XDG_STATE_HOME");
        return xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg, "headroom")
                : Path.of(home, ".local", "state", "headroom");
    }
}
