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
