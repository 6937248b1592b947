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
     * From dask 2023.8.1 (dask/system.py, per its changelog) a v2 {@code cpu.max} of the process's cgroup is
     * read after the v1 directories ({@code "max"} = no limit); with a private cgroup namespace that is
     * {@code /sys/fs/cgroup/cpu.max}. An unknown version is treated as new.
     */
    public static int cpuCount(int hostCpus, Integer affinityCount, DaskView view, DaskVersion version) {
        int count = hostCpus;
        if (affinityCount != null && affinityCount > 0) {
            count = Math.min(count, affinityCount);
        }
        if (view == null) {
            return count;
        }
        for (String dir : List.of("cpuacct,cpu", "cpu,cpuacct")) {
            BigInteger quota = PythonNumbers.pyInt(view.files().get("/sys/fs/cgroup/" + dir + "/cpu.cfs_quota_us"));
            BigInteger period = PythonNumbers.pyInt(view.files().get("/sys/fs/cgroup/" + dir + "/cpu.cfs_period_us"));
            if (quota == null || period == null || period.signum() == 0) {
                continue;
            }
            long c = (long) Math.ceil(quota.doubleValue() / period.doubleValue());
            if (c > 0) {
                count = (int) Math.min(count, c);
            }
            return count;
        }
        if (version == null || version.atLeast(2023, 8, 1)) {
            String cpuMax = view.files().get("/sys/fs/cgroup/cpu.max");
            if (cpuMax != null) {
                String[] parts = cpuMax.strip().split("\\s+");
                BigInteger quota = PythonNumbers.pyInt(parts[0]);
                BigInteger period = parts.length > 1 ? PythonNumbers.pyInt(parts[1]) : null;
                if (quota != null && period != null && period.signum() > 0) {
                    long c = (long) Math.ceil(quota.doubleValue() / period.doubleValue());
                    if (c > 0) {
                        count = (int) Math.min(count, c);
                    }
                }
            }
        }
        return count;
    }
}
