package io.headroom.probe;

/** The probe could not be run on a target; the message names the cause in plain words. */
public class ProbeException extends Exception {
    private static final long serialVersionUID = 1L;

    public ProbeException(String message) {
        super(message);
    }

    public ProbeException(String message, Throwable cause) {
        super(message, cause);
    }
}
