package io.headroom.probe.parse;

import io.headroom.model.MemInfo;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses {@code /proc/meminfo}. Format (proc(5), fs/proc/meminfo.c): {@code Name:   value kB}, where
 * {@code kB} means KiB (1024 bytes); a few fields (HugePages_*) have no unit.
 */
public final class MemInfoParser {
    private MemInfoParser() {
    }

    /** @throws UnreadableSectionException when MemTotal or MemAvailable is missing or malformed */
    public static MemInfo parse(String text) {
        Map<String, Long> fields = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).strip();
            String[] value = line.substring(colon + 1).strip().split("\\s+");
            Long number = Numbers.parseLongOrNull(value[0]);
            if (number == null || number < 0) {
                continue;
            }
            boolean kib = value.length > 1 && value[1].equalsIgnoreCase("kB");
            if (kib && number > Long.MAX_VALUE / 1024) {
                continue;
            }
            fields.put(name, kib ? number * 1024 : number);
        }
        Long total = fields.get("MemTotal");
        Long available = fields.get("MemAvailable");
        if (total == null) {
            throw new UnreadableSectionException("no MemTotal line in /proc/meminfo");
        }
        if (available == null) {
            throw new UnreadableSectionException("no MemAvailable line in /proc/meminfo (kernel older than 3.14?)");
        }
        return new MemInfo(total, available, fields);
    }

    /** MemTotal in bytes from a meminfo fragment, or null. */
    public static Long memTotalOrNull(String text) {
        for (String line : text.split("[\n;]")) {
            if (line.startsWith("MemTotal:")) {
                String[] v = line.substring(9).strip().split("\\s+");
                Long n = Numbers.parseLongOrNull(v[0]);
                if (n != null && n >= 0 && n <= Long.MAX_VALUE / 1024) {
                    return v.length > 1 && v[1].equalsIgnoreCase("kB") ? n * 1024 : n;
                }
            }
        }
        return null;
    }
}
