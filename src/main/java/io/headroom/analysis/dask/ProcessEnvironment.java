package io.headroom.analysis.dask;

import io.headroom.model.ContainerFacts;
import io.headroom.model.ProcessFacts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The environment a Dask process runs with, and where the model took it from. The process's own
 * {@code /proc/PID/environ} (as the probe passes it on: the variables the model reads) is preferred:
 * it holds what the container's entrypoint exported, which {@code Config.Env} lacks, and misses what
 * it unset. The container's {@code Config.Env} stands in when the probe could not read it.
 *
 * @param env    variable name to value
 * @param step   the derivation line that names the source
 * @param fromProcess true when {@code /proc/PID/environ} was used
 */
public record ProcessEnvironment(Map<String, String> env, String step, boolean fromProcess) {
    public ProcessEnvironment {
        env = Map.copyOf(env);
    }

    /** The environment of {@code process} in {@code container}. */
    public static ProcessEnvironment of(ContainerFacts container, ProcessFacts process) {
        Map<String, String> config = container.env() == null ? Map.of() : container.env();
        Map<String, String> environ = process.view() == null ? null : process.view().environ();
        if (environ == null) {
            String why = process.view() == null || !process.view().files().containsKey("/proc/self/environ")
                    ? "not collected by this probe"
                    : "unreadable to the probe's user";
            return new ProcessEnvironment(config, "environment: the container's Config.Env (docker inspect); /proc/"
                    + process.pid() + "/environ " + why, false);
        }
        List<String> differs = new ArrayList<>();
        for (Map.Entry<String, String> e : new TreeMap<>(environ).entrySet()) {
            if (!Objects.equals(config.get(e.getKey()), e.getValue())) {
                differs.add(e.getKey() + "=" + e.getValue() + (config.containsKey(e.getKey())
                        ? " (Config.Env has " + config.get(e.getKey()) + ")" : " (not in Config.Env)"));
            }
        }
        for (String k : new TreeMap<>(config).keySet()) {
            if (!environ.containsKey(k) && watched(k)) {
                differs.add(k + " unset in the process (Config.Env has " + config.get(k) + ")");
            }
        }
        String step = "environment: /proc/" + process.pid() + "/environ of the process, as it runs"
                + (differs.isEmpty() ? " (the same as the container's Config.Env)"
                : "; what the entrypoint changed from Config.Env: " + String.join(", ", differs));
        return new ProcessEnvironment(environ, step, true);
    }

    /** The variables whose values the probe sends (the others it never sends, so their absence says nothing). */
    private static boolean watched(String name) {
        return name.startsWith("DASK_") || name.equals("AVAILABLE_MEMORY_FOR_DASK") || name.equals("PYTHON_CPU_COUNT")
                || name.equals("MALLOC_TRIM_THRESHOLD_") || name.equals("OMP_NUM_THREADS");
    }
}
