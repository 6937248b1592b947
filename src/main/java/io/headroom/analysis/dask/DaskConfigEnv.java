package io.headroom.analysis.dask;

import io.headroom.model.MemoryThresholds;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Dask configuration from environment variables, as dask/config.py collect_env reads them:
 * {@code DASK_} prefix removed, lower-cased, {@code __} → nesting, value through
 * {@code ast.literal_eval} (falling back to the raw string). dask.config treats {@code _} and
 * {@code -} in keys alike. Only the worker memory thresholds matter here.
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
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (!e.getKey().startsWith("DASK_")) {
                continue;
            }
            String k = e.getKey().substring(5).toLowerCase(Locale.ROOT).replace("__", ".").replace('_', '-');
            if (k.equals(wanted.replace('_', '-'))) {
                value = e.getValue();
                varName = e.getKey();
            }
        }
        if (value == null) {
            return fallback;
        }
        String v = value.strip();
        if (v.equals("False")) {
            // literal_eval("False") is False; worker_memory.py checks `fraction is False` to turn it off.
            notes.add(varName + "=" + value + " turns the " + key + " threshold off");
            return null;
        }
        Double f = PythonNumbers.pyFloat(v);
        if (f == null || f.isNaN() || f.isInfinite()) {
            // e.g. "false" or "None": literal_eval gives a str or None, which worker_memory.py then compares
            // with a float and fails (TypeError) when the threshold is first checked.
            notes.add(varName + "=" + value + " is not a number or False; Dask will fail when it checks this"
                    + " threshold. The default " + fallback + " is shown");
            return fallback;
        }
        return f;
    }
}
