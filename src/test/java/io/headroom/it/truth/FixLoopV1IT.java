package io.headroom.it.truth;

import io.headroom.it.Need;
import io.headroom.it.Needs;
import io.headroom.it.LabPlatform;
import io.headroom.ssh.OpenSshServer;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The fix loop on the lab's v1 platform: this machine reached through a real OpenSSH sshd on a
 * loopback port, podman behind the docker CLI, docker-compose 1.29, the host's Dask 2022.12.1.
 */
@Needs({Need.SSHD, Need.LAB_V1})
class FixLoopV1IT extends FixLoop {
    private OpenSshServer server;
    private Path sshConfig;
    private int dashboard;

    @Override
    LabPlatform platform() {
        return LabPlatform.V1;
    }

    @Override
    String projectDir() {
        return work.resolve("project").toString();
    }

    @Override
    String hostSystemBlock() {
        return """
                image: localhost/headroom-dask:2022.12.1
                working_dir: /tmp
                environment:
                  HOME: /tmp
                  PYTHONDONTWRITEBYTECODE: "1"
                volumes:
                  - /usr:/usr:ro
                  - /etc:/etc:ro""";
    }

    @Override
    String dashboardBinding() {
        return "127.0.0.1:" + dashboard;
    }

    @Override
    String dashboardUrl() {
        return "http://127.0.0.1:" + dashboard;
    }

    @Override
    List<String> target() {
        return List.of("--ssh-config", sshConfig.toString(), "vm");
    }

    @Override
    void startTransport() throws Exception {
        server = OpenSshServer.start();
        try (ServerSocket s = new ServerSocket(0)) {
            dashboard = s.getLocalPort();
        }
        Path knownHosts = work.resolve("known_hosts");
        Files.writeString(knownHosts, server.knownHostsLine() + "\n");
        sshConfig = work.resolve("ssh_config");
        Files.writeString(sshConfig, "Host vm\n  HostName 127.0.0.1\n  Port " + server.port + "\n  User root\n  IdentityFile "
                + server.clientKey + "\n  UserKnownHostsFile " + knownHosts + "\n  StrictHostKeyChecking yes\n  BatchMode yes\n");
    }

    @Override
    void stopTransport() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    long kernelLimit(String containerId) {
        try {
            return Long.parseLong(Files.readString(Path.of("/sys/fs/cgroup/memory/libpod_parent/libpod-" + containerId
                    + "/memory.limit_in_bytes")).strip());
        } catch (IOException e) {
            throw new AssertionError("the container's v1 memory cgroup: " + e, e);
        }
    }
}
