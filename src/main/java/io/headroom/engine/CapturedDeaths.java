package io.headroom.engine;

import io.headroom.analysis.DeathJoin;
import io.headroom.model.DeathEvidence;
import io.headroom.model.DeathTimeline;
import io.headroom.model.HostReport;
import io.headroom.probe.DeathEvidenceAssembler;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Death timelines from output of the deaths script captured earlier (issue 20): the demo's, bundled with
 * the app, which is the real output of {@code lab/projects/i20-deaths} on the lab's v1 platform (podman,
 * cgroup v1, Dask 2022.12.1, 2026-12-05). Parsed and joined exactly as {@link DeathService} does live.
 */
public final class CapturedDeaths {
    /** The bundled demo output (nonce {@code abc}). */
    static final String DEMO_RESOURCE = "/io/headroom/demo/demo-deaths.txt";
    private static final String DEMO_NONCE = "abc";

    private CapturedDeaths() {
    }

    /**
     * @param host   the VM's name
     * @param report the scan of the VM (limits, budgets, findings for the fix), or null
     * @param output the deaths script's stdout
     * @param nonce  the nonce its sections are framed with
     * @param since  the window's start, or null for everything the output holds
     */
    public static DeathTimeline join(String host, HostReport report, String output, String nonce, Instant since) {
        DeathEvidence evidence = DeathEvidenceAssembler.assemble(output, nonce, since);
        return DeathJoin.join(host, evidence, report);
    }

    /** The demo's deaths (everything the captured output holds), joined with {@code report} (or null); reads a bundled resource. */
    public static DeathTimeline demo(String host, HostReport report) throws IOException {
        try (InputStream in = CapturedDeaths.class.getResourceAsStream(DEMO_RESOURCE)) {
            if (in == null) {
                throw new IOException("the demo's deaths are missing from this build");
            }
            return join(host, report, new String(in.readAllBytes(), StandardCharsets.UTF_8), DEMO_NONCE, null);
        }
    }
}
