package io.headroom.model;

/**
 * One OOM kill reported by the kernel log.
 *
 * @param line        the kernel line as read
 * @param pid         the killed pid, or null
 * @param processName the killed task's name, or null
 * @param memcg       the memory cgroup that ran out (oom_memcg / task_memcg), or null
 * @param containerId the container the line was attributed to, or null
 */
public record OomEvent(String line, Integer pid, String processName, String memcg, String containerId) {
}
