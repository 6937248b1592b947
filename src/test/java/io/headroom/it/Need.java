package io.headroom.it;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Something outside the JVM that a test needs; each answers why it is not there, or null (asked once per JVM). */
public enum Need {
    /** A real OpenSSH sshd the tests can start: /usr/sbin/sshd, run as root. */
    SSHD,
    /** The lab's v1 platform: a container engine behind the docker CLI (lab/up v1). */
    LAB_V1,
    /** The lab's v2 machine over SSH (lab/up v2). */
    LAB_V2,
    /** An X server for the real window: xvfb-run (apt-get install xvfb xauth). */
    XVFB,
    /**
     * Compose v2's own binary ({@code docker-compose config} needs no daemon): {@code HEADROOM_COMPOSE_V2}, else
     * where {@code .ci/run} extracts Debian trixie's docker-compose package, else the docker CLI plugin.
     */
    COMPOSE_V2;

    private static final Map<Need, String> REASONS = new ConcurrentHashMap<>();
    private static final String NONE = "";

    /** Why this is not available, or null when it is. */
    public String unavailableReason() {
        String r = REASONS.computeIfAbsent(this, n -> {
            String why = n.ask();
            return why == null ? NONE : why;
        });
        return r.isEmpty() ? null : r;
    }

    /**
     * Skips the calling test when this is missing ({@code SKIPPED … test: reason} on stderr), or fails it under
     * {@code CI=true}, where nothing may be skipped.
     */
    public void require() {
        String why = unavailableReason();
        if (why == null) {
            return;
        }
        if (ci()) {
            Assertions.fail("CI requires " + label() + ": " + why);
        }
        System.err.println("SKIPPED " + label() + " test: " + why);
        Assumptions.abort(why);
    }

    /** "sshd", "lab v1", "lab v2": how messages name this. */
    String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /** True under CI, where a missing piece fails a test instead of skipping it. */
    static boolean ci() {
        return "true".equals(System.getenv("CI"));
    }

    /** Where .ci/run puts Compose v2 (Debian trixie's docker-compose package, extracted beside the v1 lab's). */
    public static final String COMPOSE_V2_DEFAULT = "/opt/headroom-compose-v2/usr/libexec/docker/cli-plugins/docker-compose";

    /** The Compose v2 binary to run as {@code docker-compose config}, or null. */
    public static String composeV2() {
        for (String p : new String[] {System.getenv("HEADROOM_COMPOSE_V2"), COMPOSE_V2_DEFAULT,
                "/usr/libexec/docker/cli-plugins/docker-compose", "/usr/lib/docker/cli-plugins/docker-compose"}) {
            if (p != null && !p.isBlank() && Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        return null;
    }

    private String ask() {
        return switch (this) {
            case SSHD -> Files.isExecutable(Path.of("/usr/sbin/sshd")) && "root".equals(System.getProperty("user.name")) ? null
                    : "real OpenSSH sshd tests need /usr/sbin/sshd and root (apt-get install openssh-server)";
            case LAB_V1 -> Lab.dockerUnavailableReason();
            case LAB_V2 -> LabPlatform.V2.unavailableReason();
            case XVFB -> Files.isExecutable(Path.of("/usr/bin/xvfb-run")) ? null : "the real window needs xvfb-run (apt-get install xvfb xauth)";
            case COMPOSE_V2 -> composeV2() != null ? null
                    : "Compose v2 is not installed: .ci/run extracts Debian trixie's docker-compose 2.26 into " + COMPOSE_V2_DEFAULT
                            + " (or set HEADROOM_COMPOSE_V2 to a docker-compose v2 binary)";
        };
    }
}
