package io.headroom.model;

import java.time.Instant;
import java.util.List;

/**
 * One kill by the kernel's OOM killer, with its wall-clock time (issue 20).
 *
 * @param time        wall-clock time of the "Killed process" line; null when the log gave only a
 *                    monotonic time (then the join marks the death uncertain)
 * @param pid         the killed process's pid as the host sees it
 * @param processName the killed task's name
 * @param cgroupOom   true for a memory-cgroup OOM ({@code oom_memcg=} / "Memory cgroup out of memory"),
 *                    false for a global (whole-VM) OOM
 * @param memcg       the killed task's memory cgroup path ({@code task_memcg=}), or null
 * @param containerId the container id read from that path (v1 {@code /docker/<id>}, podman
 *                    {@code libpod-<id>}, v2 {@code docker-<id>.scope}), or null
 * @param lines       the kernel lines that make up this kill, as read
 * @param oomMemcg    for a memory-cgroup OOM, the cgroup whose limit was reached ({@code oom_memcg=}); it differs
 *                    from {@code memcg} when a cgroup above the container's (a systemd slice's {@code MemoryMax},
 *                    a {@code --cgroup-parent}'s limit) ran out; null for a global OOM or when not printed
 */
public record KernelOomKill(Instant time, int pid, String processName, boolean cgroupOom, String memcg,
                            String containerId, List<String> lines, String oomMemcg) {
    public KernelOomKill {
        lines = List.copyOf(lines);
    }

    /** A kill whose summary line did not name the cgroup that ran out. */
    public KernelOomKill(Instant time, int pid, String processName, boolean cgroupOom, String memcg,
                         String containerId, List<String> lines) {
        this(time, pid, processName, cgroupOom, memcg, containerId, lines, null);
    }

    /** True when the limit reached was a cgroup's above the killed task's own (its path is a prefix of it). */
    public boolean parentLimit() {
        return cgroupOom && oomMemcg != null && memcg != null && !oomMemcg.equals(memcg)
                && memcg.startsWith(oomMemcg.endsWith("/") ? oomMemcg : oomMemcg + "/");
    }
}
