package io.headroom.analysis.dask;

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
 *     if isinstance(memory_limit, float) and memory_limit <= 1:
 *         memory_limit = int(memory_limit * system.MEMORY_LIMIT)
 * if isinstance(memory_limit, str): memory_limit = parse_bytes(memory_limit)
 * else: memory_limit = int(memory_limit)
 * if memory_limit == 0: return None
 * if system.MEMORY_LIMIT &lt; memory_limit: return system.MEMORY_LIMIT      # with a warning
 * return memory_limit
 * </pre>
 */
public final class MemoryLimitParser {
    private MemoryLimitParser() {
    }

    /**
     * @param bytes  the limit in bytes, null when Dask runs without one (or fails)
     * @param steps  how it was derived
     * @param error  what Dask would raise at start-up, or null
     */
    public record Result(Long bytes, List<String> steps, String error) {
    }

    /**
     * The worker's own pass: the Nanny hands the worker process the integer it computed, and the
     * worker calls parse_memory_limit again (distributed/worker.py, WorkerMemoryManager). An int
     * ≤ 1 is then a fraction (so a nanny limit of 1 byte becomes the whole system limit), and a value
     * above the worker's system limit is clamped. This is the value the scheduler reports.
     */
    public static Result reparseInWorker(Long nannyBytes, long systemLimit) {
        if (nannyBytes == null) {
            return new Result(null, List.of(), null);
        }
        Result r = parse(Long.toString(nannyBytes), 1, 1, systemLimit);
        return r;
    }

    public static Result parse(String spec, int nthreads, int totalCores, long systemLimit) {
        List<String> steps = new ArrayList<>();
        if (spec == null) {
            steps.add("memory_limit=None: no limit");
            return new Result(null, steps, null);
        }
        Object value = spec;
        if (spec.equals("auto")) {
            double ratio = (double) nthreads / totalCores;
            long v;
            if (ratio >= 1) {
                v = systemLimit;
                steps.add("auto: nthreads " + nthreads + " / cpu_count " + totalCores + " >= 1, so the whole system limit " + systemLimit);
            } else {
                v = PythonNumbers.truncate(systemLimit * ratio);
                steps.add("auto: int(" + systemLimit + " × " + nthreads + "/" + totalCores + ") = " + v);
            }
            value = v;
        }
        // with suppress(ValueError, TypeError): memory_limit = float(memory_limit) ...
        Double asFloat = value instanceof Long l ? Double.valueOf(l.doubleValue()) : PythonNumbers.pyFloat((String) value);
        if (asFloat != null) {
            if (asFloat <= 1) {
                Long frac = PythonNumbers.truncate(asFloat * systemLimit);
                if (frac == null) {
                    return new Result(null, steps, "--memory-limit " + spec + " cannot be converted to bytes (OverflowError)");
                }
                steps.add("fraction " + spec + " × system limit " + systemLimit + " = " + frac);
                value = frac;
            } else {
                value = asFloat;
            }
        }
        long bytes;
        if (value instanceof String s) {
            DaskByteSize.Parsed p = DaskByteSize.parse(s);
            if (!p.ok()) {
                return new Result(null, steps, "--memory-limit " + spec + ": " + p.error() + " (Dask exits with ValueError)");
            }
            bytes = p.bytes();
            steps.add("parse_bytes('" + s + "') = " + bytes);
        } else if (value instanceof Double d) {
            Long t = PythonNumbers.truncate(d);
            if (t == null) {
                return new Result(null, steps, "--memory-limit " + spec + " is not a finite number (Dask exits)");
            }
            bytes = t;
            if (!(spec.equals("auto"))) {
                steps.add("int(" + spec + ") = " + bytes);
            }
        } else {
            bytes = (Long) value;
        }
        if (bytes == 0) {
            steps.add("0 means no memory limit: Dask will not spill, pause or restart on memory");
            return new Result(null, steps, null);
        }
        if (systemLimit < bytes) {
            steps.add(bytes + " is above the system limit " + systemLimit + ": Dask ignores it and uses " + systemLimit);
            return new Result(systemLimit, steps, null);
        }
        return new Result(bytes, steps, null);
    }
}
