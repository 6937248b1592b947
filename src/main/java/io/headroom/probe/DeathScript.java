package io.headroom.probe;

import java.time.Instant;
import java.util.List;

/**
 * The on-demand deaths-evidence script (issue 20, decision 0026): the probe's definitions (framing,
 * caps, secret masking: everything of {@code headroom-probe.sh} before its first section) followed by
 * {@code headroom-deaths.sh}. Run only by {@code headroom deaths}, never by a scan or a live refresh.
 */
public final class DeathScript {
    /** The probe line where its definitions end and its sections begin. */
    static final String FIRST_SECTION = "emit_small meta - probe_meta";
    /** Cap per section of the deaths script, in bytes (a VM's evidence stays well under 32 KiB per source). */
    public static final int SECTION_CAP_BYTES = 64 * 1024;
    private static final String TEXT = assemble(ProbeScript.text(), ProbeScript.resource("headroom-deaths.sh"));

    private DeathScript() {
    }

    /** The script text (POSIX sh). */
    public static String text() {
        return TEXT;
    }

    static String assemble(String probe, String deaths) {
        int cut = probe.indexOf("\n" + FIRST_SECTION + "\n");
        if (cut < 0) {
            throw new IllegalStateException("the probe script no longer has the line '" + FIRST_SECTION + "'");
        }
        return probe.substring(0, cut + 1) + deaths;
    }

    /**
     * The script's arguments after the nonce: section cap, sudo mode, the window's start as epoch seconds
     * and as RFC 3339 (both made here from an Instant, so nothing remote or user-typed reaches the shell).
     */
    public static List<String> arguments(String sudoMode, Instant since) {
        if (!sudoMode.matches("[a-z]{1,10}")) {
            throw new IllegalArgumentException("sudo mode: " + sudoMode);
        }
        Instant s = since.getEpochSecond() < 0 ? Instant.EPOCH : since;
        return List.of(Integer.toString(SECTION_CAP_BYTES), sudoMode, Long.toString(s.getEpochSecond()),
                Instant.ofEpochSecond(s.getEpochSecond()).toString());
    }
}
