package io.headroom.model;

/**
 * A part of the probe's output that could not be used: unavailable on the host (a missing tool,
 * a permission), truncated at its cap, or unreadable by the parser.
 *
 * @param section the probe section name, e.g. {@code docker-ps} or {@code container-cgroup}
 * @param subject what the section was about (a container id, a path) or {@code "-"}
 * @param kind    unavailable, truncated or unreadable
 * @param reason  the cause in plain words
 */
public record SectionProblem(String section, String subject, Kind kind, String reason) {
    /** Why a section could not be used. */
    public enum Kind { UNAVAILABLE, TRUNCATED, UNREADABLE }

    /**
     * One line for humans, in words a user knows rather than the probe's section names:
     * {@code the container list (docker ps): could not be read: docker CLI not found}.
     */
    public String describe() {
        String what = "-".equals(subject) ? plainName(section) : plainName(section) + " of " + subject;
        String how = switch (kind) {
            case UNAVAILABLE -> "could not be read";
            case TRUNCATED -> "cut short";
            case UNREADABLE -> "not understood";
        };
        return what + ": " + how + ": " + reason;
    }

    /** What a probe section holds, in plain words (the section name itself for one this class does not know). */
    public static String plainName(String section) {
        return switch (section) {
            case "probe" -> "the probe's output";
            case "meta" -> "the host's identity (hostname, kernel, CPUs)";
            case "meminfo" -> "/proc/meminfo";
            case "mountinfo" -> "the cgroup mounts (/proc/self/mountinfo)";
            case "etc-environment" -> "/etc/environment";
            case "kernel-oom" -> "the kernel log's OOM lines";
            case "docker-ps" -> "the container list (docker ps)";
            case "docker-inspect" -> "the containers' settings (docker inspect)";
            case "docker-env" -> "the containers' environment (docker inspect)";
            case "container-cgroup" -> "the cgroup memory files";
            case "process" -> "the process";
            case "dask-view" -> "the files Dask reads inside the container";
            case "dask-log" -> "the Dask log (docker logs)";
            case "compose-file" -> "the compose file";
            case "dotenv" -> "the compose .env file";
            default -> section;
        };
    }
}
