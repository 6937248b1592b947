package io.headroom.it;

import org.junit.jupiter.api.Assertions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The lab's two platforms (lab/up): where a scenario's containers run and how Headroom reaches them.
 * <ul>
 *   <li>{@link #V1}: this machine: cgroup v1 (hybrid), root podman behind the docker CLI,
 *       docker-compose 1.29, Dask 2022.12.1; scanned as {@code local}.</li>
 *   <li>{@link #V2}: the lab's QEMU VM: systemd, unified cgroup v2, Docker Engine with the systemd
 *       cgroup driver, Compose v2, Dask 2024.12.1 in the image; scanned over SSH like a cluster VM.</li>
 * </ul>
 * Shell scripts given to {@link #sh} are built by the tests from constants and from values they
 * validated (container ids, PIDs, paths), never from free text read from the platform.
 */
public enum LabPlatform {
    V1("v1", 1, "docker-compose"),
    V2("v2", 2, "docker compose");

    /** The name lab/up and lab/scenarios use. */
    public final String id;
    /** The cgroup version its containers live in. */
    public final int cgroupVersion;
    /** The compose command on the platform. */
    public final String compose;

    LabPlatform(String id, int cgroupVersion, String compose) {
        this.id = id;
        this.cgroupVersion = cgroupVersion;
        this.compose = compose;
    }

    /** Why this platform is not up, or null when it answers. */
    String unavailableReason() {
        if (this == V1) {
            return Lab.dockerUnavailableReason();
        }
        String host = Lab.labEnv("HEADROOM_LAB_V2_HOST");
        String why = host == null ? "HEADROOM_LAB_V2_HOST is not set and /run/headroom-lab/env does not name the v2 machine"
                : Lab.labEnv("HEADROOM_LAB_V2_SSH_CONFIG") == null ? "HEADROOM_LAB_V2_SSH_CONFIG is not set and /run/headroom-lab/env"
                        + " does not name the v2 machine's ssh_config" : null;
        if (why == null) {
            Lab.Result r = sh(60, "true");
            if (r.exit() != 0) {
                why = "ssh to the v2 machine failed: " + r.err().strip();
            }
        }
        return why == null ? null : "lab v2 not available (run `lab/up v2 && . /run/headroom-lab/env` as root): " + why;
    }

    /** Skips (or, under CI=true, fails) when the platform is not up. */
    public void require() {
        (this == V1 ? Need.LAB_V1 : Need.LAB_V2).require();
    }

    /** The arguments that name this platform as Headroom's scan target. */
    public List<String> target() {
        return this == V1 ? List.of("local")
                : List.of("--ssh-config", Lab.labEnv("HEADROOM_LAB_V2_SSH_CONFIG"), Lab.labEnv("HEADROOM_LAB_V2_HOST"));
    }

    /** The SSH target as one string, e.g. for {@code --scheduler}-less CLI calls that take one TARGET. */
    public String host() {
        return this == V1 ? "local" : Lab.labEnv("HEADROOM_LAB_V2_HOST");
    }

    /** Runs an sh script on the platform (this machine for v1, the VM as root over SSH for v2). */
    public Lab.Result sh(long timeoutSeconds, String script) {
        if (this == V1) {
            return Lab.run(timeoutSeconds, "sh", "-c", script);
        }
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(UNREACHABLE_PATIENCE_SECONDS);
        while (true) {
            Lab.Result r = Lab.run(timeoutSeconds, "ssh", "-F", Lab.labEnv("HEADROOM_LAB_V2_SSH_CONFIG"),
                    Lab.labEnv("HEADROOM_LAB_V2_HOST"), script);
            if (r.exit() != 255) {
                return r;
            }
            // 255 is ssh's own failure. Before a session exists (no banner, refused, connect timeout) the script has
            // not started, so waiting for a VM that stalls under load and trying again is safe; after that it is not.
            if (!neverConnected(r.err()) || System.nanoTime() > deadline) {
                return new Lab.Result(r.exit(), r.out(), r.err() + vmState());
            }
            try {
                Thread.sleep(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Lab.Result(r.exit(), r.out(), r.err() + vmState());
            }
        }
    }

    /** How long {@link #sh} keeps trying a v2 VM that does not answer before giving up, in seconds. */
    private static final long UNREACHABLE_PATIENCE_SECONDS = 180;

    /** True when ssh's error says that no session was ever set up (so no part of the script ran). */
    static boolean neverConnected(String sshError) {
        return sshError.contains("during banner exchange") || sshError.contains("Connection refused")
                || sshError.contains("Connection timed out") && !sshError.contains("not responding")
                || sshError.contains("Connection reset by peer") && sshError.contains("kex_exchange_identification");
    }

    /**
     * What a failed ssh to the VM leaves to go on: whether QEMU still runs and the last lines of the VM's serial console
     * (lab/v2/up writes both beside the ssh_config), so that a CI log shows a hung or crashed VM as such.
     */
    static String vmState() {
        String config = Lab.labEnv("HEADROOM_LAB_V2_SSH_CONFIG");
        if (config == null) {
            return "";
        }
        Path dir = Path.of(config).getParent();
        StringBuilder b = new StringBuilder("\n[v2 VM] ");
        try {
            String pid = java.nio.file.Files.readString(dir.resolve("qemu.pid")).strip();
            boolean alive = java.nio.file.Files.isDirectory(Path.of("/proc", pid));
            b.append("QEMU pid ").append(pid).append(alive ? " is running" : " is GONE");
            Lab.Result load = Lab.run(5, "cat", "/proc/loadavg");
            b.append("; this machine's load: ").append(load.out().strip());
        } catch (java.io.IOException | RuntimeException e) {
            b.append("no QEMU pid file in ").append(dir);
        }
        try {
            List<String> lines = java.nio.file.Files.readAllLines(dir.resolve("console.log"),
                    java.nio.charset.StandardCharsets.ISO_8859_1);
            b.append("\n[v2 VM] last lines of ").append(dir.resolve("console.log")).append(":\n");
            lines.subList(Math.max(0, lines.size() - 25), lines.size()).forEach(l -> b.append("  | ").append(l).append('\n'));
        } catch (java.io.IOException e) {
            b.append("\n[v2 VM] no console log: ").append(e.getMessage());
        }
        return b.toString();
    }

    /** Like {@link #sh} but fails the test when the script fails; returns its standard output. */
    public String shOk(long timeoutSeconds, String script) {
        Lab.Result r = sh(timeoutSeconds, script);
        Assertions.assertEquals(0, r.exit(), () -> id + ": `" + script + "` failed: " + r.err());
        return r.out();
    }

    /** Runs {@code lab/scenarios --platform ID ARGS}. */
    public Lab.Result scenarios(long timeoutSeconds, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of("lab", "scenarios").toAbsolutePath().toString(), "--platform", id));
        cmd.addAll(List.of(args));
        return Lab.run(Map.of(), timeoutSeconds, cmd.toArray(String[]::new));
    }

    /** The directory of a cgroup path as {@code /proc/PID/cgroup} names it (v1: the memory hierarchy's). */
    public String cgroupDirectory(String cgroup) {
        return (cgroupVersion == 2 ? "/sys/fs/cgroup" : "/sys/fs/cgroup/memory") + cgroup;
    }

    @Override
    public String toString() {
        return id;
    }
}
