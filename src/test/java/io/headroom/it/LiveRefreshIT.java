package io.headroom.it;

import io.headroom.engine.ScanEngine;
import io.headroom.engine.ScanListener;
import io.headroom.engine.ScanOptions;
import io.headroom.engine.TransportRunners;
import io.headroom.model.ContainerFacts;
import io.headroom.model.HostReport;
import io.headroom.ssh.Prompter;
import io.headroom.ssh.SshProbeRunner;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live mode's light refresh (issue 15, decision 0031) on both lab platforms, through the real transports
 * (v1: this machine's podman, cgroup v1; v2: the VM's Docker 26 on cgroup v2 + systemd, over sshj): after a
 * full scan the refresh reads the kernel's numbers without the full probe, and containers that come or go
 * bring the full probe back.
 */
@Tag("lab")
class LiveRefreshIT {
    private static final long LIMIT = 300L * 1024 * 1024;

    @ParameterizedTest
    @EnumSource(LabPlatform.class)
    void theLightRefreshReadsWhatTheKernelSaysAndNoticesNewContainers(LabPlatform platform) throws Exception {
        platform.require();
        String image = platform == LabPlatform.V1 ? "-v /usr:/usr:ro -v /etc:/etc:ro " + Lab.IMAGE
                : Lab.labEnv("HEADROOM_LAB_V2_DASK_IMAGE");
        String run = "docker run -d --label io.headroom.lab=it --memory 300m " + image + " sleep 600";
        platform.sh(60, "docker rm -f i15-live-a i15-live-b >/dev/null 2>&1");
        Path sshConfig = platform == LabPlatform.V1 ? null : Path.of(Lab.labEnv("HEADROOM_LAB_V2_SSH_CONFIG"));
        try (TransportRunners runners = new TransportRunners(Prompter.NON_INTERACTIVE,
                new TransportRunners.Options(sshConfig, Duration.ofSeconds(10), SshProbeRunner.SudoMode.NEVER))) {
            platform.shOk(120, run.replace("docker run -d", "docker run -d --name i15-live-a"));
            ScanEngine engine = new ScanEngine(runners, "it");
            ScanOptions options = new ScanOptions(null, Duration.ofSeconds(60), 4);
            String target = platform.host();
            HostReport full = engine.scan(List.of(target), options, ScanListener.NONE).hosts().get(0);
            assertThat(full.errors()).isEmpty();
            ContainerFacts a = named(full, "i15-live-a").orElseThrow();
            assertThat(engine.refreshesSinceFullScan(target)).isZero();

            HostReport light = engine.refresh(List.of(target), options, ScanListener.NONE).hosts().get(0);
            assertThat(engine.refreshesSinceFullScan(target)).as("the light refresh ran").isEqualTo(1);
            ContainerFacts a2 = named(light, "i15-live-a").orElseThrow();
            assertThat(a2.cgroup().hardLimitBytes()).isEqualTo(LIMIT);
            String dir = a.cgroup().directory();
            String usageFile = platform.cgroupVersion == 1 ? "memory.usage_in_bytes" : "memory.current";
            long kernelUsage = Long.parseLong(platform.shOk(30, "cat '" + dir + "/" + usageFile + "'").strip());
            // a sleeping container: its usage moves by pages at most between the two reads
            assertThat(a2.cgroup().usageBytes()).isBetween(kernelUsage - 1_048_576, kernelUsage + 1_048_576);
            long memTotal = 1024 * Long.parseLong(platform.shOk(30, "awk '/^MemTotal:/ {print $2}' /proc/meminfo").strip());
            assertThat(light.facts().memInfo().memTotalBytes()).isEqualTo(memTotal);
            engine.refresh(List.of(target), options, ScanListener.NONE);
            assertThat(engine.refreshesSinceFullScan(target)).isEqualTo(2);

            // a new container beside the known one: the full probe runs and finds it
            platform.shOk(120, run.replace("docker run -d", "docker run -d --name i15-live-b"));
            HostReport after = engine.refresh(List.of(target), options, ScanListener.NONE).hosts().get(0);
            assertThat(engine.refreshesSinceFullScan(target)).as("the full probe ran").isZero();
            assertThat(named(after, "i15-live-b")).isPresent();

            // a container gone: the full probe again, without it
            engine.refresh(List.of(target), options, ScanListener.NONE);
            assertThat(engine.refreshesSinceFullScan(target)).isEqualTo(1);
            platform.shOk(60, "docker rm -f i15-live-a");
            HostReport gone = engine.refresh(List.of(target), options, ScanListener.NONE).hosts().get(0);
            assertThat(engine.refreshesSinceFullScan(target)).isZero();
            assertThat(named(gone, "i15-live-a")).isEmpty();
        } finally {
            platform.sh(60, "docker rm -f i15-live-a i15-live-b >/dev/null 2>&1");
        }
    }

    private static Optional<ContainerFacts> named(HostReport r, String name) {
        return r.facts().containers().stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
