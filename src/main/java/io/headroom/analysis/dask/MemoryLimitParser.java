package io.headroom.analysis.dask;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code parse_memory_limit} (distributed/worker_memory.py, 2022.12.1, read on this machine;
 * same logic in distributed/worker.py of older releases):
 * <pre>
 * if memory_limit is None: return None
 * if memory_limit == "auto": memory_limit = int(system.MEMORY_LIMIT * min(1, nthreads / total_cores))
 * with suppress(ValueError, TypeError):
 *     memory_limit = float(memory_limit)
 *     if isinstance(memory_limit, float) and memory_limit &lt;= 1:
 *         memory_limit = int(memory_limit * system.MEMORY_LIMIT)
 * if isinstance(memory_limit, str): memory_limit = parse_bytes(memory_limit)
 * else: memory_limit = int(memory_limit)
 * if memory_limit == 0: return None
 * if system.MEMORY_LIMIT &lt; memory_limit: return system.MEMORY_LIMIT      # with a warning
 * return memory_limit
 * </pre>
 * Python integers are unbounded, so the arithmetic here is too; every int/float conversion happens
 * where Python does it (DaskPythonTruthTest compares thousands of inputs with the real function).
 */
public final class MemoryLimitParser {
    private MemoryLimitParser() {
    }

    /**
     * @param bytes  the limit when Dask has a usable one (positive, fits a long), else null
     * @param exact  Dask's value exactly (null when Dask has none or fails); may be negative or huge
     * @param steps  how it was derived
     * @param error  what Dask would raise at start-up, or null
     */
    public record Result(Long bytes, BigInteger exact, List<String> steps, String error) {
    }

    /**
     * The worker's own pass: the Nanny hands the worker process the integer it computed, and the
     * worker calls parse_memory_limit again (distributed/worker.py, WorkerMemoryManager). An int
     * ≤ 1 is then a fraction (so a nanny limit of 1 byte becomes the whole system limit), and a value
     * above the worker's system limit is clamped. This is the value the scheduler reports.
     */
    public static Result reparseInWorker(BigInteger nannyValue, long systemLimit) {
        if (nannyValue == null) {
            return new Result(null, null, List.of(), null);
        }
        return parse(nannyValue.toString(), 1, 1, systemLimit);
    }

    public static Result parse(String spec, int nthreads, int totalCores, long systemLimit) {
        List<String> steps = new ArrayList<>();
        if (spec == null) {
            steps.add("memory_limit=None: no limit");
            return new Result(null, null, steps, null);
        }
        BigInteger m = BigInteger.valueOf(systemLimit);
        Object value = spec;
        if (spec.equals("auto")) {
            if (totalCores == 0) {
                return new Result(null, null, steps, "cpu_count is 0: Dask fails with ZeroDivisionError");
            }
            double ratio = (double) nthreads / totalCores;
            BigInteger v;
            if (ratio >= 1) {
                v = m; // min(1, x) is the int 1: M * 1 stays an exact int
                steps.add("auto: nthreads " + nthreads + " / cpu_count " + totalCores + " >= 1, so the whole system limit " + systemLimit);
            } else {
                v = PythonNumbers.truncateExact(PythonNumbers.toFloat(m) * ratio);
                steps.add("auto: int(" + systemLimit + " × " + nthreads + "/" + totalCores + ") = " + v);
            }
            value = v;
        }
        // with suppress(ValueError, TypeError): memory_limit = float(memory_limit) ...
        Double asFloat = value instanceof BigInteger b ? Double.valueOf(PythonNumbers.toFloat(b)) : PythonNumbers.pyFloat((String) value);
        if (asFloat != null) {
            if (asFloat <= 1) {
                BigInteger frac = PythonNumbers.truncateExact(asFloat * PythonNumbers.toFloat(m));
                if (frac == null) {
                    return new Result(null, null, steps, "--memory-limit " + spec + " cannot be converted to bytes (Dask exits with OverflowError)");
                }
                steps.add("fraction " + spec + " × system limit " + systemLimit + " = " + frac);
                value = frac;
            } else {
                value = asFloat;
            }
        }
        BigInteger bytes;
        if (value instanceof String s) {
            DaskByteSize.Parsed p = DaskByteSize.parse(s);
            if (!p.ok()) {
                return new Result(null, null, steps, "--memory-limit " + spec + ": " + p.error() + " (Dask exits with ValueError)");
            }
            bytes = p.value();
            steps.add("parse_bytes('" + s + "') = " + bytes);
        } else if (value instanceof Double d) {
            BigInteger t = PythonNumbers.truncateExact(d);
            if (t == null) {
                return new Result(null, null, steps, "--memory-limit " + spec + " is not a finite number (Dask exits)");
            }
            bytes = t;
            if (!spec.equals("auto")) {
                steps.add("int(" + spec + ") = " + bytes);
            }
        } else {
            bytes = (BigInteger) value;
        }
        if (bytes.signum() == 0) {
            steps.add("0 means no memory limit: Dask will not spill, pause or restart on memory");
            return new Result(null, null, steps, null);
        }
        if (m.compareTo(bytes) < 0) {
            steps.add(bytes + " is above the system limit " + systemLimit + ": Dask ignores it and uses " + systemLimit);
            return new Result(systemLimit, m, steps, null);
        }
        if (bytes.signum() < 0) {
            steps.add("the limit is negative (" + bytes + " bytes) and Dask keeps it: every result is spilled to disk as"
                    + " soon as it is stored (the spill buffer's target, int(limit × target fraction), is 0 or below), and"
                    + " memory / limit is never above the pause or terminate fraction: nothing pauses or restarts the worker");
            return new Result(null, bytes, steps, null);
        }
        return new Result(bytes.longValueExact(), bytes, steps, null);
    }
}
