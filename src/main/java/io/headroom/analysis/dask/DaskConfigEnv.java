package io.headroom.analysis.dask;

import io.headroom.model.MemoryThresholds;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Dask configuration from environment variables, as dask/config.py collect_env reads them:
 * {@code DASK_} prefix removed, lower-cased, {@code __} → nesting, value through
 * {@code ast.literal_eval} (falling back to the raw string); dask.config treats {@code _} and
 * {@code -} in keys alike. Then how distributed/worker_memory.py uses each threshold (2022.12.1):
 * <ul>
 *   <li>{@code False} turns spill / pause / terminate off ({@code fraction is False});</li>
 *   <li>target is used as {@code if self.memory_target_fraction:}, so any falsy value (False, None,
 *       0, '') turns it off;</li>
 *   <li>a number (bool True is 1) is the fraction, infinity included (never reached);</li>
 *   <li>anything else (None or a string for spill/pause/terminate, a non-empty string for target)
 *       makes Dask raise TypeError when the threshold is first compared: Headroom shows the default
 *       and says so.</li>
 * </ul>
 * DaskPythonTruthTest compares this with the real collect_env and threshold expressions.
 */
public final class DaskConfigEnv {
    private DaskConfigEnv() {
    }

    /** Thresholds after env overrides, and notes on values that Dask would not accept. */
    public record Result(MemoryThresholds thresholds, List<String> notes) {
    }

    public static Result thresholds(Map<String, String> env) {
        MemoryThresholds d = MemoryThresholds.DEFAULTS;
        List<String> notes = new ArrayList<>();
        Double target = override(env, "target", d.target(), notes);
        Double spill = override(env, "spill", d.spill(), notes);
        Double pause = override(env, "pause", d.pause(), notes);
        Double terminate = override(env, "terminate", d.terminate(), notes);
        return new Result(new MemoryThresholds(target, spill, pause, terminate), notes);
    }

    private static Double override(Map<String, String> env, String key, Double fallback, List<String> notes) {
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
        PythonLiteral.Value v = PythonLiteral.eval(value);
        boolean target = key.equals("target");
        if (v instanceof PythonLiteral.Bool b && !b.value()) {
            notes.add(varName + "=" + value + " turns the " + key + " threshold off");
            return null;
        }
        if (target && (v instanceof PythonLiteral.None
                || (v instanceof PythonLiteral.Num n && n.value() == 0)
                || (v instanceof PythonLiteral.Str s && s.value().isEmpty()))) {
            notes.add(varName + "=" + value + " turns the target threshold off (any false value does)");
            return null;
        }
        if (v instanceof PythonLiteral.Bool) {
            return 1.0;
        }
        if (v instanceof PythonLiteral.Num n && !Double.isNaN(n.value())) {
            if (target && Double.isInfinite(n.value())) {
                notes.add(varName + "=" + value + ": Dask fails with OverflowError computing the target; the default "
                        + fallback + " is shown");
                return fallback;
            }
            return n.value();
        }
        notes.add(varName + "=" + value + " is not a number or False; Dask will fail when it checks this"
                + " threshold. The default " + fallback + " is shown");
        return fallback;
    }
}
