package io.headroom.ssh;

/** An SSH failure classified for the user. The message is plain words naming the cause. */
public final class SshException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Causes, as the user should see them. */
    public enum Kind {
        USAGE, CONFIG, NAME_NOT_FOUND, REFUSED, TIMED_OUT, UNREACHABLE, AUTH_FAILED,
        HOST_KEY_UNKNOWN, HOST_KEY_CHANGED, HOST_KEY_REVOKED, HOST_CERTIFICATE_INVALID, NO_COMMON_ALGORITHM, DISCONNECTED, PROBE_FAILED, CANCELLED
    }

    private final Kind kind;

    public SshException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public SshException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
