package io.headroom.probe;

import java.time.Duration;
import java.util.List;

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

    /**
     * Runs another of Headroom's scripts the same way ({@link DeathScript}): {@code sh -s -- NONCE ARGS...}
     * with the script on standard input. The arguments are Headroom's own (numbers, dates, a mode), never
     * remote or user text; runners check them against {@code [0-9A-Za-z:.-]}.
     *
     * @throws ProbeException when this transport cannot run scripts other than the probe, or the run failed
     */
    default ProbeOutput runScript(String script, String nonce, List<String> args, Duration timeout) throws ProbeException {
        throw new ProbeException("this transport runs only the probe");
    }

    /** The arguments of {@link #runScript}, checked: each made only of [0-9A-Za-z:.-], at most 64 characters. */
    static List<String> checkedArguments(String nonce, List<String> args) {
        if (!nonce.matches("[0-9a-f]{1,64}")) {
            throw new IllegalArgumentException("nonce must be hex");
        }
        for (String a : args) {
            if (!a.matches("[0-9A-Za-z:.-]{1,64}")) {
                throw new IllegalArgumentException("script argument refused: " + a);
            }
        }
        return args;
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
