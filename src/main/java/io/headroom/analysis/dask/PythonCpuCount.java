package io.headroom.analysis.dask;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python ≥ 3.13's override of the CPU count ({@code PYTHON_CPU_COUNT=n}, {@code -X cpu_count=n}): both
 * {@code os.cpu_count()} and {@code os.process_cpu_count()} return n, which is where every Dask release
 * starts its {@code cpu_count()} (dask/system.py: {@code os.cpu_count()} up to 2026.6.x,
 * {@code os.process_cpu_count()} on Python ≥ 3.13 from 2026.7.1, commit ff0ca1a6c); Dask then takes the
 * minimum with the CPU affinity and the cgroup quota, so the override can only lower its count.
 * CPython 3.13 {@code config_init_cpu_count} (Python/initconfig.c): the variable is read unless {@code -E}
 * or {@code -I} (an empty value is no value), then {@code -X cpu_count} overrides it; {@code default} is no
 * override; anything else must be an int ≥ 1 ({@code strtol}, base 10, the whole string) or Python refuses
 * to start. Python before 3.13 knows neither.
 */
public final class PythonCpuCount {
    private PythonCpuCount() {
    }

    /** Python's start-up error for a bad value (Python/initconfig.c, 3.13). */
    public static final String ERROR = "-X cpu_count=n option: n is missing or an invalid number, n must be greater than 0";

    /**
     * @param count  the count os.cpu_count() returns, null without an override
     * @param steps  derivation lines (which input, which Python)
     * @param error  Python's own start-up error, null when it starts
     */
    public record Result(Integer count, List<String> steps, String error) {
        public Result {
            steps = List.copyOf(steps);
        }
    }

    private static final Pattern PY = Pattern.compile("python(3)\\.(\\d{1,3})(?![0-9])");

    /** The Python version named by an interpreter path or a site-packages path ({@code python3.13}), or null. */
    public static int[] version(String... paths) {
        for (String p : paths) {
            if (p == null) {
                continue;
            }
            Matcher m = PY.matcher(p);
            if (m.find()) {
                return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
            }
        }
        return null;
    }

    /**
     * @param argv    the process's command line (interpreter options before the script, {@code -m} or {@code -c})
     * @param env     its environment
     * @param python  its Python version {major, minor}, null when unknown (then 3.13's rules are assumed)
     */
    public static Result of(List<String> argv, Map<String, String> env, int[] python) {
        List<String> steps = new ArrayList<>();
        boolean ignoreEnv = false;
        String xoption = null;
        if (!argv.isEmpty() && argv.get(0).replaceAll(".*/", "").startsWith("python")) {
            for (int i = 1; i < argv.size(); i++) {
                String a = argv.get(i);
                if (!a.startsWith("-") || a.equals("-") || a.equals("-m") || a.equals("-c") || a.startsWith("--")) {
                    break;
                }
                // a cluster of flags, possibly ending in an option that takes a value (-X, -W, -m, -c)
                for (int j = 1; j < a.length(); j++) {
                    char c = a.charAt(j);
                    if (c == 'E' || c == 'I') {
                        ignoreEnv = true;
                    } else if (c == 'X' || c == 'W' || c == 'm' || c == 'c') {
                        String value = j + 1 < a.length() ? a.substring(j + 1) : i + 1 < argv.size() ? argv.get(++i) : "";
                        if (c == 'X' && (value.equals("cpu_count") || value.startsWith("cpu_count="))) {
                            xoption = value;
                        }
                        if (c == 'm' || c == 'c') {
                            i = argv.size();
                        }
                        break;
                    }
                }
            }
        }
        String variable = ignoreEnv ? null : env.get("PYTHON_CPU_COUNT");
        if (variable != null && variable.isEmpty()) {
            variable = null;
        }
        if (variable == null && xoption == null) {
            if (ignoreEnv && env.containsKey("PYTHON_CPU_COUNT")) {
                steps.add("PYTHON_CPU_COUNT ignored: Python runs with -E/-I");
            }
            return new Result(null, steps, null);
        }
        String given = (variable == null ? "" : "PYTHON_CPU_COUNT=" + variable) + (variable != null && xoption != null ? ", " : "")
                + (xoption == null ? "" : "-X " + xoption);
        if (python != null && (python[0] < 3 || (python[0] == 3 && python[1] < 13))) {
            steps.add(given + ": no effect on Python " + python[0] + "." + python[1] + " (read from Python 3.13)");
            return new Result(null, steps, null);
        }
        String py = python == null ? "Python version unknown, 3.13's rules assumed" : "Python " + python[0] + "." + python[1];
        Integer count = null;
        if (variable != null) {
            if (!variable.equals("default")) {
                count = parse(variable);
                if (count == null) {
                    return new Result(null, steps, "Python refuses to start (PYTHON_CPU_COUNT=" + variable + ", " + py + "): " + ERROR);
                }
            }
        }
        if (xoption != null) {
            int eq = xoption.indexOf('=');
            String v = eq < 0 ? null : xoption.substring(eq + 1);
            if (v == null) {
                return new Result(null, steps, "Python refuses to start (-X " + xoption + ", " + py + "): " + ERROR);
            }
            if (v.equals("default")) {
                count = null;
            } else {
                count = parse(v);
                if (count == null) {
                    return new Result(null, steps, "Python refuses to start (-X " + xoption + ", " + py + "): " + ERROR);
                }
            }
        }
        steps.add(given + " (" + py + "): " + (count == null ? "no override (default)"
                : "os.cpu_count() and os.process_cpu_count() return " + count));
        return new Result(count, steps, null);
    }

    /** {@code _Py_str_to_int}: strtol base 10 over the whole string (leading whitespace and a sign allowed), an int ≥ 1. */
    static Integer parse(String s) {
        String t = s.stripLeading();
        if (!t.matches("[+-]?[0-9]+")) {
            return null;
        }
        try {
            long v = Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
            return v >= 1 && v <= Integer.MAX_VALUE ? (int) v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
