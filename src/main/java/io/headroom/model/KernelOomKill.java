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
 */
public record KernelOomKill(Instant time, int pid, String processName, boolean cgroupOom, String memcg,
                            String containerId, List<String> lines) {
    public KernelOomKill {
        lines = List.copyOf(lines);
    }
}
