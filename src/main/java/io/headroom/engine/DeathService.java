package io.headroom.engine;

import io.headroom.analysis.DeathJoin;
import io.headroom.model.DeathEvidence;
import io.headroom.model.DeathTimeline;
import io.headroom.model.HostReport;
import io.headroom.probe.DeathEvidenceAssembler;
import io.headroom.probe.DeathScript;
import io.headroom.probe.ProbeException;
import io.headroom.probe.ProbeRunner;
import io.headroom.probe.ProbeScript;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Fetches one VM's death evidence on demand (issue 20, decision 0026): runs {@link DeathScript} on the
 * transport the scan uses, parses it and joins it with the scan's view of the same VM. Never part of a
 * scan or a live refresh.
 */
public final class DeathService {
    /** How long one VM's evidence may take. */
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    private DeathService() {
    }

    /**
     * @param report the scan of the VM (limits, budgets, findings for the fix), or null
     * @param sudo   the probe's sudo mode for this VM: auto, always or never
     */
    public static DeathTimeline timeline(ProbeRunners runners, String target, HostReport report, Instant since, String sudo)
            throws Unreachable {
        return timeline(runners, target, report, since, sudo, TIMEOUT);
    }

    /** @param timeout how long the script may take on this VM (at least {@link #TIMEOUT}; a slow VM needs more) */
    public static DeathTimeline timeline(ProbeRunners runners, String target, HostReport report, Instant since, String sudo,
                                         Duration timeout) throws Unreachable {
        try {
            return timeline(runners.forTarget(target), target, report, since, sudo,
                    timeout.compareTo(TIMEOUT) > 0 ? timeout : TIMEOUT);
        } catch (ProbeException e) {
            throw new Unreachable(target + ": " + e.getMessage(), e);
        }
    }

    /** The VM could not be reached or the script not run; the message says why in plain words. */
    public static final class Unreachable extends Exception {
        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static DeathTimeline timeline(ProbeRunner runner, String target, HostReport report, Instant since, String sudo,
                                  Duration timeout) throws ProbeException {
        String nonce = ProbeScript.newNonce();
        List<String> args = DeathScript.arguments(sudo, since);
        ProbeRunner.ProbeOutput out = runner.runScript(DeathScript.text(), nonce, args, timeout);
        DeathEvidence evidence = DeathEvidenceAssembler.assemble(out.stdout(), nonce, since);
        if (out.truncated()) {
            evidence = evidence.withProblem("the deaths script's output was cut at " + runner.maxOutputBytes() + " bytes");
        }
        return DeathJoin.join(target, evidence, report);
    }
}
