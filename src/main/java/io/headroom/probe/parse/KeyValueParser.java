package io.headroom.probe.parse;

import java.util.LinkedHashMap;
import java.util.Map;

/** Parses {@code key=value} lines (the probe's meta section); later keys win. */
public final class KeyValueParser {
    private KeyValueParser() {
    }

    public static Map<String, String> parse(String text) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                map.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return map;
    }
}
