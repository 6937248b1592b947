package io.headroom.analysis.dask;

import io.headroom.model.MemoryThresholds;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Dask configuration from environment variables, as dask/config.py collect_env reads them:
 * {@code DASK_} prefix removed, lower-cased, {@code __} → nesting, value through
 * {@code ast.literal_eval}; a value literal_eval rejects is read by the version's {@link Words}
 * (the raw string up to 2023.8.x, YAML-like words later); dask.config treats {@code _} and
 * {@code -} in keys alike. Then how distributed/worker_memory.py uses each threshold (2022.12.1;
 * unchanged at 2026.7.1: worker_memory.py:143-148, 172-173, 202-208, 242-252, 382, 406 there):
 * <ul>
 *   <li>{@code False} turns spill / pause / terminate off ({@code fraction is False});</li>
 *   <li>target is used as {@code if self.memory_target_fraction:}, so any falsy value (False, None,
 *       0, '') turns it off;</li>
 *   <li>a number (bool True is 1) is the fraction, infinity included (never reached);</li>
 *   <li>anything else (None or a string for spill/pause/terminate, a non-empty string for target)
 *       makes Dask raise TypeError when the threshold is first compared: Headroom shows the default
 *       and says so.</li>
 * </ul>
 * DaskPythonTruthTest compares this with the real collect_env of 2022.12.1 and with collect_env /
 * interpret_value run from their source at 2023.9.1 and 2026.7.1, and the threshold expressions.
 */
public final class DaskConfigEnv {
    private DaskConfigEnv() {
    }

    /** Thresholds after env overrides, and notes on values that Dask would not accept. */
    public record Result(MemoryThresholds thresholds, List<String> notes) {
    }

    /**
     * What collect_env makes of a {@code DASK_*} value that {@code ast.literal_eval} rejects
     * (SyntaxError / ValueError), by Dask version. The word is compared with {@code value.lower()}:
     * the whole value, no whitespace stripped.
     */
    public enum Words {
        /**
         * ≤ 2023.8.x: the raw string ({@code except (SyntaxError, ValueError): d[varname] = value},
         * dask/config.py:232-235 at 2022.12.1). {@code false} is the string 'false'.
         */
        RAW_STRING(Map.of(), "dask/config.py collect_env ≤ 2023.8.1"),
        /**
         * 2023.9.1 – 2024.1.x: {@code none} and {@code null} in any case become None (dask commit
         * 9c51a7840, dask/dask#10487, first released in 2023.9.1; dask/config.py:262-266 there).
         */
        NONE_NULL(Map.of("none", new PythonLiteral.None(), "null", new PythonLiteral.None()),
                "dask/config.py collect_env, dask/dask#10487 (9c51a7840, 2023.9.1)"),
        /**
         * ≥ 2024.2.1: {@code interpret_value}'s {@code {"none": None, "null": None, "false": False,
         * "true": True}} (dask commit 1ed95b484, dask/dask#10926, first released in 2024.2.1;
         * dask/config.py:280-288 at 2026.7.1, the same lines at 2024.12.1).
         */
        YAML_WORDS(Map.of("none", new PythonLiteral.None(), "null", new PythonLiteral.None(),
                "false", new PythonLiteral.Bool(false), "true", new PythonLiteral.Bool(true)),
                "dask/config.py interpret_value, dask/dask#10926 (1ed95b484, 2024.2.1)");

        private final Map<String, PythonLiteral.Value> words;
        private final String source;

        Words(Map<String, PythonLiteral.Value> words, String source) {
            this.words = words;
            this.source = source;
        }

        /** The band of a Dask version; null (unknown) yields the newest. */
        public static Words of(DaskVersion v) {
            if (v == null || v.atLeast(2024, 2, 1)) {
                return YAML_WORDS;
            }
            return v.atLeast(2023, 9, 1) ? NONE_NULL : RAW_STRING;
        }

        /** The value collect_env stores for {@code raw}. */
        PythonLiteral.Value interpret(String raw) {
            PythonLiteral.Value v = PythonLiteral.literalEvalOrNull(raw);
            if (v != null) {
                return v;
            }
            return words.getOrDefault(raw.toLowerCase(Locale.ROOT), new PythonLiteral.Str(raw));
        }

        /** True when {@code raw} is one of this band's words (literal_eval rejects it, the word map reads it). */
        boolean isWord(String raw) {
            return PythonLiteral.literalEvalOrNull(raw) == null && words.containsKey(raw.toLowerCase(Locale.ROOT));
        }
    }

    /**
     * @param env     the container's environment
     * @param version the worker's Dask version, null when unknown (the newest rules apply)
     */
    public static Result thresholds(Map<String, String> env, DaskVersion version) {
        return thresholds(env, version, DaskConfigFiles.NONE);
    }

    /**
     * @param files Dask's YAML config files in the container: a value there stands unless a {@code DASK_*}
     *              variable sets the same key (dask/config.py {@code collect}: files first, the environment last)
     */
    public static Result thresholds(Map<String, String> env, DaskVersion version, DaskConfigFiles.Result files) {
        Words words = Words.of(version);
        MemoryThresholds d = MemoryThresholds.DEFAULTS;
        List<String> notes = new ArrayList<>(files.steps());
        Double target = override(env, "target", fromFile(files, "target", d.target(), notes), words, notes);
        Double spill = override(env, "spill", fromFile(files, "spill", d.spill(), notes), words, notes);
        Double pause = override(env, "pause", fromFile(files, "pause", d.pause(), notes), words, notes);
        Double terminate = override(env, "terminate", fromFile(files, "terminate", d.terminate(), notes), words, notes);
        return new Result(new MemoryThresholds(target, spill, pause, terminate), notes);
    }

    /**
     * The value {@code dask.config.get("distributed.worker.memory." + key)} returns from the files and the
     * environment (the environment wins), or null when neither sets it (then distributed.yaml's default).
     */
    static PythonLiteral.Value effective(Map<String, String> env, DaskVersion version, DaskConfigFiles.Result files, String key) {
        String wanted = "distributed.worker.memory." + key;
        String value = null;
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(env).entrySet()) {
            if (e.getKey().startsWith("DASK_")
                    && e.getKey().substring(5).toLowerCase(Locale.ROOT).replace("__", ".").replace('_', '-').equals(wanted)) {
                value = e.getValue();
            }
        }
        if (value != null) {
            return Words.of(version).interpret(value);
        }
        DaskConfigFiles.Setting s = files.settings().get(key);
        return s == null ? null : s.value();
    }

    private static Double fromFile(DaskConfigFiles.Result files, String key, Double fallback, List<String> notes) {
        DaskConfigFiles.Setting s = files.settings().get(key);
        if (s == null) {
            return fallback;
        }
        return use(s.value(), key + ": " + s.raw() + " in " + s.file(), "", key, fallback, notes, "");
    }

    private static Double override(Map<String, String> env, String key, Double fallback, Words words, List<String> notes) {
        String wanted = "distributed.worker.memory." + key;
        String value = null;
        String varName = null;
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(env).entrySet()) {
            if (!e.getKey().startsWith("DASK_")) {
                continue;
            }
            String k = e.getKey().substring(5).toLowerCase(Locale.ROOT).replace("__", ".").replace('_', '-');
            if (k.equals(wanted)) {
                value = e.getValue();
                varName = e.getKey();
            }
        }
        if (value == null) {
            return fallback;
        }
        PythonLiteral.Value v = words.interpret(value);
        // one note per variable: a word read as None/False/True says so in it
        String read = words.isWord(value) ? " (read as " + pyRepr(v) + ": " + words.source + ")" : "";
        String hint = words != Words.YAML_WORDS && Words.YAML_WORDS.isWord(value)
                ? " (this Dask reads '" + value + "' as " + pyRepr(v) + "; from 2024.2.1 it would be "
                + pyRepr(Words.YAML_WORDS.interpret(value)) + ")"
                : "";
        return use(v, varName + "=" + value, read, key, fallback, notes, hint);
    }

    /** How worker_memory.py uses the threshold value {@code v} set by {@code label}. */
    private static Double use(PythonLiteral.Value v, String label, String read, String key, Double fallback,
                              List<String> notes, String hint) {
        boolean target = key.equals("target");
        if (v instanceof PythonLiteral.Bool b && !b.value()) {
            notes.add(label + read + " turns the " + key + " threshold off");
            return null;
        }
        if (target && (v instanceof PythonLiteral.None
                || (v instanceof PythonLiteral.Num n && n.value() == 0)
                || (v instanceof PythonLiteral.Str s && s.value().isEmpty()))) {
            notes.add(label + read + " turns the target threshold off (any false value does)");
            return null;
        }
        if (v instanceof PythonLiteral.Bool) {
            return 1.0;
        }
        if (v instanceof PythonLiteral.Num n && !Double.isNaN(n.value())) {
            if (target && Double.isInfinite(n.value())) {
                notes.add(label + ": Dask fails with OverflowError computing the target; the default "
                        + fallback + " is shown");
                return fallback;
            }
            return n.value();
        }
        notes.add(label + read + " is not a number or False; Dask will fail when it checks this"
                + " threshold. The default " + fallback + " is shown" + hint);
        return fallback;
    }

    private static String pyRepr(PythonLiteral.Value v) {
        return switch (v) {
            case PythonLiteral.Bool b -> b.value() ? "True" : "False";
            case PythonLiteral.None n -> "None";
            case PythonLiteral.Num n -> Double.toString(n.value());
            case PythonLiteral.Str s -> "the string '" + s.value() + "'";
        };
    }
}
