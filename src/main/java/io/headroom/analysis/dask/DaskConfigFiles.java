package io.headroom.analysis.dask;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Dask's YAML config files as the probe reports them (the {@code yaml*} lines of a dask-view section):
 * the files in the order dask/config.py's {@code collect_yaml} reads them ({@code $DASK_ROOT_CONFIG} or
 * {@code /etc/dask}, {@code {sys.prefix}/etc/dask}, {@code ~/.config/dask}, {@code $DASK_CONFIG}; the same
 * in 2022.12.1, 2024.12.1 and 2026.7.1), each file's memory thresholds read as PyYAML's {@code safe_load}
 * resolves a plain scalar (YAML 1.1: {@code yes/no/on/off} are booleans, {@code 1e3} is a string), a later
 * file winning over an earlier one ({@code merge}), the environment over all files ({@code collect}).
 */
public final class DaskConfigFiles {
    private DaskConfigFiles() {
    }

    /** A threshold set by a file: its raw text, what PyYAML makes of it, and the file. */
    public record Setting(String raw, PythonLiteral.Value value, String file) {
    }

    /**
     * @param settings key ({@code target}, {@code spill}, {@code pause}, {@code terminate}) to the winning file's value
     * @param steps    derivation lines: each file read, each file the probe could not read
     */
    public record Result(Map<String, Setting> settings, List<String> steps) {
    }

    public static final Result NONE = new Result(Map.of(), List.of());

    /** Reads the {@code yaml-file}, {@code yaml} and {@code yaml-unread} lines, in order. */
    public static Result read(List<String> lines) {
        if (lines == null || lines.isEmpty()) {
            return NONE;
        }
        Map<String, Setting> settings = new LinkedHashMap<>();
        List<String> steps = new ArrayList<>();
        String file = null;
        for (String line : lines) {
            String[] f = line.split("\t", 3);
            switch (f[0]) {
                case "yaml-file" -> {
                    file = f.length > 1 ? f[1] : "?";
                    steps.add("Dask config file " + file);
                }
                case "yaml" -> {
                    if (f.length < 3 || file == null) {
                        continue;
                    }
                    String key = f[1].substring(f[1].lastIndexOf('.') + 1);
                    PythonLiteral.Value v = scalar(f[2]);
                    settings.put(key, new Setting(f[2], v, file));
                    steps.add("  " + f[1] + ": " + f[2] + " (from " + file + ")");
                }
                case "yaml-unread" -> steps.add("Dask config file " + (f.length > 1 ? f[1] : "?") + " not read by Headroom ("
                        + (f.length > 2 ? f[2] : "?") + "): its memory thresholds, if any, are not shown");
                default -> {
                }
            }
        }
        return new Result(settings, steps);
    }

    private static final Pattern NULL = Pattern.compile("~|null|Null|NULL|");
    private static final Pattern TRUE = Pattern.compile("yes|Yes|YES|true|True|TRUE|on|On|ON");
    private static final Pattern FALSE = Pattern.compile("no|No|NO|false|False|FALSE|off|Off|OFF");
    private static final Pattern INT = Pattern.compile("[-+]?(0b[0-1_]+|0[0-7_]+|(0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+)");
    private static final Pattern FLOAT = Pattern.compile("[-+]?([0-9][0-9_]*)\\.[0-9_]*([eE][-+][0-9]+)?|\\.[0-9][0-9_]*([eE][-+][0-9]+)?");
    private static final Pattern INF = Pattern.compile("[-+]?\\.(inf|Inf|INF)");
    private static final Pattern NAN = Pattern.compile("\\.(nan|NaN|NAN)");

    /** A plain or quoted scalar as PyYAML's SafeLoader resolves it (no sexagesimal numbers: a string here). */
    static PythonLiteral.Value scalar(String raw) {
        if (raw.length() >= 2 && (raw.startsWith("'") && raw.endsWith("'") || raw.startsWith("\"") && raw.endsWith("\""))) {
            return new PythonLiteral.Str(raw.substring(1, raw.length() - 1));
        }
        if (NULL.matcher(raw).matches()) {
            return new PythonLiteral.None();
        }
        if (TRUE.matcher(raw).matches()) {
            return new PythonLiteral.Bool(true);
        }
        if (FALSE.matcher(raw).matches()) {
            return new PythonLiteral.Bool(false);
        }
        if (INT.matcher(raw).matches()) {
            try {
                return integer(raw);
            } catch (NumberFormatException e) {
                return new PythonLiteral.Str(raw);
            }
        }
        if (FLOAT.matcher(raw).matches()) {
            return new PythonLiteral.Num(Double.parseDouble(raw.replace("_", "")), false);
        }
        if (INF.matcher(raw).matches()) {
            return new PythonLiteral.Num(raw.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY, false);
        }
        if (NAN.matcher(raw).matches()) {
            return new PythonLiteral.Num(Double.NaN, false);
        }
        return new PythonLiteral.Str(raw);
    }

    private static PythonLiteral.Value integer(String raw) {
            String t = raw.replace("_", "");
            int sign = t.startsWith("-") ? -1 : 1;
            t = t.replaceFirst("^[-+]", "");
            double v = t.startsWith("0b") ? Long.parseLong(t.substring(2), 2)
                    : t.startsWith("0x") ? Long.parseLong(t.substring(2), 16)
                    : t.length() > 1 && t.startsWith("0") ? Long.parseLong(t.substring(1), 8)
                    : Double.parseDouble(t);
            return new PythonLiteral.Num(sign * v, true);
    }
}
