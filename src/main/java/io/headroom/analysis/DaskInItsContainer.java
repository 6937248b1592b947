package io.headroom.analysis;

import io.headroom.analysis.dask.DaskByteSize;
import io.headroom.model.Bytes;
import io.headroom.model.ContainerReport;
import io.headroom.model.DaskWorker;
import io.headroom.model.Finding;
import io.headroom.model.FindingCode;
import io.headroom.model.MemoryThresholds;
import io.headroom.model.Severity;

import java.util.List;
import java.util.Locale;

/**
 * Findings that compare Dask's budget with its own container, whatever the VM can give: a budget
 * above the cgroup limit, below it because of a reservation, RLIMIT_RSS, a unit mix-up or the
 * auto budget's CPU fraction, and limit values that turn Dask's memory management against the
 * worker. Pure.
 */
final class DaskInItsContainer {
    private DaskInItsContainer() {
    }

    static void findings(ContainerReport c, List<Finding> out) {
        Long hard = c.cgroupLimitBytes();
        if (hard != null) {
            sumOfWorkersAboveCgroup(c, hard, out);
        }
        reservationFindings(c, out);
        limitValueFindings(c, out);
        unitConfusion(c, out);
        fractionOfLimit(c, out);
    }

    /**
     * {@code --memory-limit auto} (the default) gives each worker the system limit × min(1, nthreads / CPUs)
     * (distributed/worker_memory.py, {@code parse_memory_limit}: {@code memory_limit = system.MEMORY_LIMIT *
     * min(1, nthreads / total_cores)}). With fewer threads than CPUs in the container, Dask's workers together
     * use only that fraction of the cgroup limit: they spill and are restarted by their nanny while the
     * container still has room, which no other tool shows.
     */
    static void fractionOfLimit(ContainerReport c, List<Finding> out) {
        Long hard = c.cgroupLimitBytes();
        List<DaskWorker> ws = c.workers();
        if (hard == null || ws.isEmpty()) {
            return;
        }
        DaskWorker w = ws.get(0);
        boolean auto = w.memoryLimitSpec() == null || w.memoryLimitSpec().strip().toLowerCase(Locale.ROOT).equals("auto");
        int threads = Math.max(w.nworkers(), 1) * w.nthreads();
        if (!auto || w.systemLimitBytes() != hard || w.memoryLimitBytes() == null || threads >= w.cpuCount() || w.cpuCount() <= 0) {
            return;
        }
        long sum = 0;
        for (DaskWorker x : ws) {
            sum += x.memoryLimitBytes() == null ? 0 : x.memoryLimitBytes();
        }
        if (sum >= hard) {
            return;
        }
        int n = Math.max(w.nworkers(), 1);
        long perWorker = hard / n;
        MemoryThresholds t = w.thresholds();
        String name = c.facts().name();
        String who = n > 1 ? "The " + n + " Dask workers in " + name + " get " + Bytes.human(sum) + " together" : "Dask in " + name + " gets "
                + Bytes.human(sum);
        int threadsForAll = (int) Math.ceil((double) w.cpuCount() / n);
        out.add(new Finding(FindingCode.DASK_USES_FRACTION_OF_LIMIT, Severity.INFO,
                who + " of the container's " + Bytes.human(hard) + " limit: with --memory-limit auto each worker gets the"
                        + " limit × min(1, threads / CPUs) = " + Bytes.human(hard) + " × " + w.nthreads() + "/" + w.cpuCount()
                        + " (" + w.nthreads() + " thread" + (w.nthreads() == 1 ? "" : "s") + ", " + w.cpuCount() + " CPUs). "
                        + Bytes.human(hard - sum) + " of the container is left to the kernel: Dask spills at "
                        + Bytes.human(MemoryThresholds.bytes(t.spill(), w.memoryLimitBytes())) + " and its nanny restarts the worker at "
                        + Bytes.human(MemoryThresholds.bytes(t.terminate(), w.memoryLimitBytes())) + " while the container still has room."
                        + " Either give Dask the limit: --memory-limit " + perWorker + (n > 1 ? " (per worker)" : "")
                        + " (spill at " + Bytes.human(MemoryThresholds.bytes(t.spill(), perWorker)) + ", restart at "
                        + Bytes.human(MemoryThresholds.bytes(t.terminate(), perWorker)) + "), or run as many threads as CPUs:"
                        + " --nthreads " + threadsForAll + " (the whole " + Bytes.human(hard) + ", more tasks at once).",
                name, null));
    }

    static void sumOfWorkersAboveCgroup(ContainerReport c, long cgroupLimit, List<Finding> out) {
        long sum = 0;
        for (DaskWorker w : c.workers()) {
            if (w.memoryLimitBytes() != null) {
                sum += w.memoryLimitBytes();
            }
        }
        String name = c.facts().name();
        if (sum > cgroupLimit) {
            int n = c.workers().size();
            out.add(new Finding(FindingCode.DASK_LIMIT_ABOVE_CGROUP, Severity.WARNING,
                    (n > 1 ? "The " + n + " Dask workers in " + name + " have budgets adding up to " : "Dask in " + name + " has a budget of ")
                            + Bytes.human(sum) + ", above the container's cgroup limit of " + Bytes.human(cgroupLimit)
                            + ". The kernel kills a worker inside the container before Dask can react.",
                    name, cgroupLimit));
            return;
        }
        for (DaskWorker w : c.workers()) {
            Long explicit = explicitBytes(w.memoryLimitSpec());
            if (explicit != null && explicit > cgroupLimit) {
                out.add(new Finding(FindingCode.DASK_LIMIT_ABOVE_CGROUP, Severity.WARNING,
                        "Dask in " + name + " was told --memory-limit " + w.memoryLimitSpec() + " (" + Bytes.human(explicit)
                                + "), above the container's cgroup limit of " + Bytes.human(cgroupLimit)
                                + "; Dask ignores it and uses " + Bytes.human(w.memoryLimitBytes()) + ".",
                        name, cgroupLimit));
                return;
            }
        }
    }

    private static Long explicitBytes(String spec) {
        if (spec == null || spec.equals("auto")) {
            return null;
        }
        Double f = io.headroom.analysis.dask.PythonNumbers.pyFloat(spec);
        if (f != null) {
            return f > 1 ? io.headroom.analysis.dask.PythonNumbers.truncate(f) : null;
        }
        DaskByteSize.Parsed p = DaskByteSize.parse(spec);
        return p.ok() ? p.bytes() : null;
    }

    private static void reservationFindings(ContainerReport c, List<Finding> out) {
        Long hard = c.cgroupLimitBytes();
        for (DaskWorker w : c.workers()) {
            String src = w.systemLimitSource();
            boolean shrinking = src.endsWith("memory.soft_limit_in_bytes") || src.endsWith("memory.high")
                    || src.endsWith("memory.low");
            if (shrinking) {
                String file = src.substring(src.lastIndexOf('/') + 1);
                out.add(new Finding(FindingCode.RESERVATION_SHRINKS_DASK, Severity.WARNING,
                        "Dask in " + c.facts().name() + " takes its budget from " + file + " ("
                                + Bytes.human(w.systemLimitBytes()) + "), not from the hard limit ("
                                + Bytes.human(hard) + "). Compose's mem_reservation sets this; Dask will spill and"
                                + " restart workers earlier than the container allows. Remove mem_reservation or set it"
                                + " equal to mem_limit.",
                        c.facts().name(), hard));
                return;
            }
            if (src.equals("RLIMIT_RSS") && hard != null && w.systemLimitBytes() < hard) {
                out.add(new Finding(FindingCode.RLIMIT_SHRINKS_DASK, Severity.WARNING,
                        "Dask in " + c.facts().name() + " takes its budget from the process's hard RLIMIT_RSS ("
                                + Bytes.human(w.systemLimitBytes()) + "), not from the container's limit ("
                                + Bytes.human(hard) + "). The kernel does not enforce RLIMIT_RSS; only Dask holds"
                                + " itself to it, so it spills and restarts workers long before the container is full."
                                + " Remove the rss ulimit (compose ulimits: rss, docker run --ulimit rss=…, ulimit -m)"
                                + " or raise it to the limit.",
                        c.facts().name(), hard));
                return;
            }
        }
    }

    /** A negative Dask limit, or a nanny limit of 1 byte: Dask's memory management turns against the worker. */
    private static void limitValueFindings(ContainerReport c, List<Finding> out) {
        String name = c.facts().name();
        for (DaskWorker w : c.workers()) {
            if (w.negativeLimit()) {
                out.add(new Finding(FindingCode.NEGATIVE_MEMORY_LIMIT, Severity.CRITICAL,
                        "Dask in " + name + " was told --memory-limit " + w.memoryLimitSpec() + ", and keeps the negative"
                                + " limit (" + w.memoryLimitExact() + " bytes in the worker): every result is written to"
                                + " disk as soon as it is computed, and the worker never pauses"
                                + (!w.noNanny() ? " and its nanny never restarts it" : "") + ", so only the kernel's OOM"
                                + " killer stops it. Use a positive size, or 0 for no limit.",
                        name, c.cgroupLimitBytes()));
                return;
            }
            java.math.BigInteger one = java.math.BigInteger.ONE;
            if (!w.noNanny() && one.equals(w.nannyLimitExact()) && !one.equals(w.memoryLimitExact())) {
                out.add(new Finding(FindingCode.RESTART_LOOP, Severity.CRITICAL,
                        "Dask in " + name + " was told --memory-limit " + w.memoryLimitSpec() + ": the nanny's limit is 1"
                                + " byte, while the worker reads 1 as the whole system limit (" + Bytes.human(w.memoryLimitBytes())
                                + "). The nanny restarts the worker as soon as it uses any memory, again and again."
                                + " Give a size in bytes with a unit, e.g. 4GiB.",
                        name, c.cgroupLimitBytes()));
                return;
            }
        }
    }

    private static void unitConfusion(ContainerReport c, List<Finding> out) {
        Long hard = c.cgroupLimitBytes();
        if (hard == null) {
            return;
        }
        for (DaskWorker w : c.workers()) {
            String spec = w.memoryLimitSpec();
            if (spec == null || !DaskByteSize.isDecimalUnit(spec)) {
                continue;
            }
            String number = spec.replaceAll("[A-Za-z ]+$", "");
            String unit = spec.substring(number.length()).strip().substring(0, 1);
            DaskByteSize.Parsed asBinary = DaskByteSize.parse(number + unit + "iB");
            if (asBinary.ok() && asBinary.bytes().equals(hard)) {
                DaskByteSize.Parsed decimal = DaskByteSize.parse(spec);
                out.add(new Finding(FindingCode.UNIT_CONFUSION, Severity.WARNING,
                        "Dask in " + c.facts().name() + " reads --memory-limit " + spec + " as " + decimal.bytes()
                                + " bytes (decimal), while Docker read the same number as " + hard
                                + " bytes (binary): Dask's budget is " + Bytes.human(hard - decimal.bytes())
                                + " smaller than the container. Write " + number + unit + "iB for Dask.",
                        c.facts().name(), hard));
                return;
            }
        }
    }

}
