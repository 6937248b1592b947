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

    /** One line for humans: {@code docker-ps: unavailable: docker CLI not found}. */
    public String describe() {
        String what = "-".equals(subject) ? section : section + " " + subject;
        return what + ": " + kind.name().toLowerCase(java.util.Locale.ROOT) + ": " + reason;
    }
}
