package io.headroom.probe.parse;

/**
 * One framed section of probe output.
 *
 * @param name    section name, e.g. {@code meminfo}
 * @param subject what it is about (container id, path, {@code id/pid}), {@code "-"} when global
 * @param status  ok, unavailable or truncated
 * @param reason  the probe's reason when not ok, else empty
 * @param content the section's text (without the frame lines)
 */
public record ProbeSection(String name, String subject, Status status, String reason, String content) {
    /** How the probe ended the section. */
    public enum Status { OK, UNAVAILABLE, TRUNCATED, UNTERMINATED }

    /** True when content is complete and usable. */
    public boolean ok() {
        return status == Status.OK;
    }
}
