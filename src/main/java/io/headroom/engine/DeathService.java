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
        try {
            return timeline(runners.forTarget(target), target, report, since, sudo);
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

    static DeathTimeline timeline(ProbeRunner runner, String target, HostReport report, Instant since, String sudo)
            throws ProbeException {
        String nonce = ProbeScript.newNonce();
        List<String> args = DeathScript.arguments(sudo, since);
        ProbeRunner.ProbeOutput out = runner.runScript(DeathScript.text(), nonce, args, TIMEOUT);
        DeathEvidence evidence = DeathEvidenceAssembler.assemble(out.stdout(), nonce, since);
        if (out.truncated()) {
            List<String> problems = new java.util.ArrayList<>(evidence.problems());
            problems.add("the deaths script's output was cut at " + runner.maxOutputBytes() + " bytes");
            evidence = new DeathEvidence(evidence.since(), evidence.kernelKills(), evidence.daskEvents(), evidence.engineStates(),
                    evidence.memoryEvents(), evidence.truncatedLogs(), evidence.kernelLogMissing(), problems);
        }
        return DeathJoin.join(target, evidence, report);
    }
}
