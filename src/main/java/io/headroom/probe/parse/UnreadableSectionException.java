package io.headroom.probe.parse;

/** A section's content does not have the expected format; the message says how, in plain words. */
public final class UnreadableSectionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnreadableSectionException(String message) {
        super(message);
    }

    public UnreadableSectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
