package io.headroom.it.truth;

import io.headroom.it.Need;
import io.headroom.it.Needs;
import io.headroom.it.Lab;
import io.headroom.it.LabPlatform;

import java.util.List;

/**
 * The fix loop on the lab's v2 platform: the VM over SSH (systemd, cgroup v2, Docker Engine with
 * the systemd cgroup driver, Compose v2, Dask 2024.12.1 in the image). The push validates with the
 * VM's {@code docker compose config} and restarts with {@code docker compose}; the scheduler's
 * dashboard (VM port 18900) is forwarded by lab/v2/up to this machine's port 18900 + offset.
 */
@Needs({Need.LAB_V2})
class FixLoopV2IT extends FixLoop {
    private static final int DASHBOARD = 18900;

    @Override
    LabPlatform platform() {
        return LabPlatform.V2;
    }

    @Override
    String projectDir() {
        return "/opt/headroom-lab/fixe2e";
    }

    @Override
    String hostSystemBlock() {
        return """
                image: %s
                working_dir: /tmp
                environment:
                  HOME: /tmp
                  PYTHONDONTWRITEBYTECODE: "1\"""".formatted(Lab.labEnv("HEADROOM_LAB_V2_DASK_IMAGE"));
    }

    /** On every address of the VM: QEMU's port forward reaches the guest's own address, not its loopback. */
    @Override
    String dashboardBinding() {
        return Integer.toString(DASHBOARD);
    }

    @Override
    String dashboardUrl() {
        return "http://127.0.0.1:" + (DASHBOARD + Integer.parseInt(Lab.labEnv("HEADROOM_LAB_V2_PORT_OFFSET")));
    }

    @Override
    List<String> target() {
        return platform().target();
    }

    @Override
    void startTransport() {
        // the VM's own sshd, started by lab/v2/up
    }

    @Override
    void stopTransport() {
        // lab/down stops the VM
    }

    @Override
    long kernelLimit(String containerId) {
        String max = platform().shOk(30, "cat /sys/fs/cgroup/system.slice/docker-" + containerId.replaceAll("[^0-9a-f]", "")
                + ".scope/memory.max").strip();
        return Long.parseLong(max);
    }
}
