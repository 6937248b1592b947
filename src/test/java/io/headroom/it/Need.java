package io.headroom.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Something outside the JVM that a test needs; each answers why it is not there, or null (asked once per JVM). */
public enum Need {
    /** A real OpenSSH sshd the tests can start: /usr/sbin/sshd, run as root. */
    SSHD,
    /** The lab's v1 platform: a container engine behind the docker CLI (lab/up v1). */
    LAB_V1,
    /** The lab's v2 machine over SSH (lab/up v2). */
    LAB_V2;

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

    private String ask() {
        return switch (this) {
            case SSHD -> Files.isExecutable(Path.of("/usr/sbin/sshd")) && "root".equals(System.getProperty("user.name")) ? null
                    : "real OpenSSH sshd tests need /usr/sbin/sshd and root (apt-get install openssh-server)";
            case LAB_V1 -> Lab.dockerUnavailableReason();
            case LAB_V2 -> LabPlatform.V2.unavailableReason();
        };
    }
}
