package io.headroom.analysis.dask;

import io.headroom.model.DaskView;

import java.math.BigInteger;
import java.util.List;

/**
 * {@code distributed.system.memory_limit()} and {@code dask.system.cpu_count()} computed from the
 * files exactly as the worker's container shows them.
 */
public final class DaskSystemModel {
    private DaskSystemModel() {
    }

    /**
     * Dask's MEMORY_LIMIT and what decided it.
     *
     * @param bytes  the limit in bytes
     * @param source which input gave the minimum: {@code MemTotal}, a cgroup file path, or {@code RLIMIT_RSS}
     * @param steps  the comparison, in plain words
     */
    public record SystemLimit(long bytes, String source, List<String> steps) {
    }

    /**
     * distributed/system.py memory_limit():
     * <pre>
     * limit = psutil.virtual_memory().total            # MemTotal of the container's /proc/meminfo
     * for path in [...]:                               # per version band
     *     try: cgroups_limit = int(f.read())
     *          if cgroups_limit > 0: limit = min(limit, cgroups_limit)
     *     except Exception: pass
     * hard_limit = resource.getrlimit(resource.RLIMIT_RSS)[1]
     * if 0 < hard_limit < limit: limit = hard_limit
     * </pre>
     *
     * @param memTotalBytes MemTotal as the container sees it
     * @param view          the container's files (null: treated as no cgroup files readable)
     * @param rssHardLimit  hard RLIMIT_RSS in bytes, null when unlimited (RLIM_INFINITY is -1 in Python)
     * @param band          the Dask version band
     */
    public static SystemLimit memoryLimit(long memTotalBytes, DaskView view, Long rssHardLimit, DaskVersionBand band) {
        long limit = memTotalBytes;
        String source = "MemTotal";
        List<String> steps = new java.util.ArrayList<>();
        steps.add("host total (MemTotal as the container sees it) = " + memTotalBytes + " bytes");
        for (String path : band.cgroupFiles()) {
            String raw = view == null ? null : view.files().get(path);
            if (raw == null) {
                continue;
            }
            BigInteger v = PythonNumbers.pyInt(raw);
            if (v == null) {
                steps.add(path + " = '" + raw + "': not an integer, ignored");
                continue;
            }
            if (v.signum() <= 0) {
                steps.add(path + " = " + v + ": not > 0, ignored");
                continue;
            }
            if (v.compareTo(BigInteger.valueOf(limit)) < 0) {
                limit = v.longValueExact();
                source = path;
                steps.add(path + " = " + v + ": new minimum");
            } else {
                steps.add(path + " = " + v + ": not below " + limit);
            }
        }
        if (rssHardLimit != null && rssHardLimit > 0 && rssHardLimit < limit) {
            limit = rssHardLimit;
            source = "RLIMIT_RSS";
            steps.add("hard RLIMIT_RSS = " + rssHardLimit + ": new minimum");
        }
        return new SystemLimit(limit, source, steps);
    }

    /**
     * Dask's CPU_COUNT and how it was found.
     *
     * @param count what {@code dask.system.cpu_count()} returns
     * @param steps the inputs used, in plain words
     */
    public record CpuCount(int count, List<String> steps) {
    }

    /** In a process's view: the last line of its {@code /proc/self/cgroup}, as the probe read it from the host. */
    public static final String SELF_CGROUP = "/proc/self/cgroup";
    /**
     * In a process's view: {@code shared} when its cgroup namespace is the probe's (it sees the same
     * cgroup paths), {@code private} when it has its own (it sees its cgroup as {@code /}).
     */
    public static final String CGROUP_NS = "/proc/self/ns/cgroup";

    /** {@link #cpu} without the steps. */
    public static int cpuCount(int hostCpus, Integer affinityCount, DaskView view, DaskVersion version) {
        return cpu(hostCpus, affinityCount, view, version).count();
    }

    /**
     * dask/system.py cpu_count() (2022.12.1):
     * <pre>
     * count = os.cpu_count()
     * affinity_count = len(psutil.Process().cpu_affinity()); if affinity_count > 0: count = min(count, affinity_count)
     * for dirname in ["cpuacct,cpu", "cpu,cpuacct"]:
     *     try: quota = int(open(f"/sys/fs/cgroup/{dirname}/cpu.cfs_quota_us").read())
     *          period = int(open(f"/sys/fs/cgroup/{dirname}/cpu.cfs_period_us").read())
     *          cgroups_count = math.ceil(quota / period)
     *          if cgroups_count > 0: count = min(count, cgroups_count)
     *          break
     *     except Exception: pass
     * </pre>
     * From dask 2023.8.1 (commit c6912aae0, dask/dask#10419) {@code _try_extract_cgroup_cpu_quota}, when
     * no v1 directory answers, reads the cgroup v2 {@code cpu.max} of the process's own cgroup
     * (dask/system.py:30-40 at 2026.7.1, the same at 2023.8.1 and 2024.12.1):
     * <pre>
     * with open("/proc/self/cgroup") as f: group_path = f.read().strip().split(":")[-1]
     * if not group_path.endswith("/"): group_path = f"{group_path}/"
     * with open(f"/sys/fs/cgroup{group_path}cpu.max") as f: quota, period = map(int, f.read().split(" "))
     * </pre>
     * The path is the process's own view: with a private cgroup namespace (Docker's default on v2) it is
     * {@code /}, so the file is {@code /sys/fs/cgroup/cpu.max}; with {@code cgroupns: host} (or a worker
     * run as a systemd service) it is the full path, e.g.
     * {@code /sys/fs/cgroup/system.slice/docker-ID.scope/cpu.max}. The probe reports the last line of
     * {@code /proc/PID/cgroup} as it reads it ({@link #SELF_CGROUP}), whether the process shares its
     * cgroup namespace ({@link #CGROUP_NS}), and {@code cpu.max} at that path through the process's
     * root. Without those two entries (an older probe) the root {@code cpu.max} is used. An unknown
     * version is treated as new.
     */
    public static CpuCount cpu(int hostCpus, Integer affinityCount, DaskView view, DaskVersion version) {
        List<String> steps = new java.util.ArrayList<>();
        int count = hostCpus;
        steps.add("os.cpu_count() = " + hostCpus);
        if (affinityCount != null && affinityCount > 0) {
            count = Math.min(count, affinityCount);
            steps.add("CPU affinity: " + affinityCount + " CPU(s)");
        }
        if (view == null) {
            return new CpuCount(count, steps);
        }
        for (String dir : List.of("cpuacct,cpu", "cpu,cpuacct")) {
            String q = "/sys/fs/cgroup/" + dir + "/cpu.cfs_quota_us";
            BigInteger quota = PythonNumbers.pyInt(view.files().get(q));
            BigInteger period = PythonNumbers.pyInt(view.files().get("/sys/fs/cgroup/" + dir + "/cpu.cfs_period_us"));
            if (quota == null || period == null || period.signum() == 0) {
                continue;
            }
            return new CpuCount(quotaCount(count, quota, period, q, steps), steps);
        }
        if (version != null && !version.atLeast(2023, 8, 1)) {
            return new CpuCount(count, steps);
        }
        String cpuMax = cpuMaxPath(view, steps);
        if (cpuMax == null) {
            return new CpuCount(count, steps);
        }
        String raw = view.files().get(cpuMax);
        if (raw == null) {
            steps.add(cpuMax + " does not exist in the container: no CPU quota");
            return new CpuCount(count, steps);
        }
        // map(int, f.read().split(" ")) into two names: exactly one space, two ints (the probe drops the newline)
        String[] parts = raw.split(" ", -1);
        BigInteger quota = parts.length == 2 ? PythonNumbers.pyInt(parts[0]) : null;
        BigInteger period = parts.length == 2 ? PythonNumbers.pyInt(parts[1]) : null;
        if (quota == null || period == null || period.signum() == 0) {
            steps.add(cpuMax + " = '" + raw + "': not two integers, no CPU quota");
            return new CpuCount(count, steps);
        }
        return new CpuCount(quotaCount(count, quota, period, cpuMax, steps), steps);
    }

    /** math.ceil(quota / period), taken when > 0. */
    private static int quotaCount(int count, BigInteger quota, BigInteger period, String file, List<String> steps) {
        long c = (long) Math.ceil(quota.doubleValue() / period.doubleValue());
        if (c > 0) {
            steps.add(file + ": quota " + quota + " / period " + period + " → " + c + " CPU(s)");
            return (int) Math.min(count, c);
        }
        steps.add(file + ": quota " + quota + " / period " + period + " → " + c + ", not > 0, ignored");
        return count;
    }

    /**
     * {@code /sys/fs/cgroup{group_path}cpu.max} as the process builds it, or null when its
     * {@code /proc/self/cgroup} is unreadable. A namespace the probe could not compare ({@code unknown},
     * or absent next to a line) counts as shared: the path the probe read is used.
     */
    private static String cpuMaxPath(DaskView view, List<String> steps) {
        String line = view.files().get(SELF_CGROUP);
        String ns = view.files().get(CGROUP_NS);
        String groupPath;
        if (line == null && ns == null) {
            groupPath = "/";
            steps.add("the process's /proc/self/cgroup was not collected (older probe): its cgroup taken as /");
        } else if (line == null) {
            steps.add("the process's /proc/self/cgroup could not be read: no cgroup v2 CPU quota");
            return null;
        } else if (ns != null && ns.equals("private")) {
            groupPath = "/";
            steps.add("/proc/self/cgroup: the process has its own cgroup namespace, it sees its cgroup as /");
        } else {
            // f.read().strip().split(":")[-1]
            groupPath = line.strip().substring(line.strip().lastIndexOf(':') + 1);
            steps.add("/proc/self/cgroup: '" + line.strip() + "' → cgroup " + groupPath);
        }
        if (!groupPath.endsWith("/")) {
            groupPath = groupPath + "/";
        }
        return "/sys/fs/cgroup" + groupPath + "cpu.max";
    }
}
