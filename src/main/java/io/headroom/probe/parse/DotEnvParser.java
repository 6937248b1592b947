package io.headroom.probe.parse;

/**
 * Reads {@code AVAILABLE_MEMORY_FOR_DASK} from {@code .env} lines the way docker-compose 1.29 does
 * (compose/config/environment.py, env_vars_from_file → split_env: {@code KEY=VALUE}, value up to the
 * end of the line; one pair of matching surrounding quotes removed). The last assignment wins.
 */
public final class DotEnvParser {
    private static final String KEY = "AVAILABLE_MEMORY_FOR_DASK";

    private DotEnvParser() {
    }

    /** The value, or null when not assigned. */
    public static String availableMemoryForDask(String text) {
        String value = null;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("export ")) {
                line = line.substring(7).strip();
            }
            int eq = line.indexOf('=');
            if (eq <= 0 || !line.substring(0, eq).strip().equals(KEY)) {
                continue;
            }
            String v = line.substring(eq + 1);
            if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
                v = v.substring(1, v.length() - 1);
            }
            value = v;
        }
        return value;
    }
}
