package io.headroom.probe;

import java.time.Duration;

/**
 * Runs the probe script on one target and returns its raw output. Implementations: a local
 * process, SSH (a later transport). Output is capped; a hang ends with {@link ProbeException}.
 */
public interface ProbeRunner {
    /**
     * @param nonce    the frame nonce to pass as the script's first argument
     * @param timeout  how long the whole run may take
     * @return the probe's standard output, at most {@link #maxOutputBytes()} bytes
     * @throws ProbeException with a plain-words reason when the probe could not run
     */
    ProbeOutput run(String nonce, Duration timeout) throws ProbeException;

    /**
     * Runs live mode's light refresh ({@link RefreshScript}) on the same target and transport.
     *
     * @param nonce     the frame nonce (hex)
     * @param arguments {@link RefreshScript#arguments}: validated words, each single-quoted by the transport
     * @throws ProbeException when it could not run; transports without it say so (the caller runs the full probe)
     */
    default ProbeOutput refresh(String nonce, java.util.List<String> arguments, Duration timeout) throws ProbeException {
        throw new ProbeException("this transport has no light refresh");
    }

    /** Cap on the bytes read from one probe run. */
    default long maxOutputBytes() {
        return 16L * 1024 * 1024;
    }

    /**
     * The raw output of one run.
     *
     * @param stdout     standard output (possibly cut at the cap)
     * @param stderrTail the last part of standard error, for error messages
     * @param exitStatus the exit status, or -1 when unknown
     * @param truncated  true when stdout hit the cap
     */
    record ProbeOutput(String stdout, String stderrTail, int exitStatus, boolean truncated) {
    }
}
