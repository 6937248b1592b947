package io.headroom.engine;

import io.headroom.model.ContainerFacts;
import io.headroom.model.HostReport;
import io.headroom.probe.LocalProbeRunner;
import io.headroom.probe.ProbeException;
import io.headroom.probe.ProbeRunner;
import io.headroom.probe.parse.MemInfoParser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live mode's light refresh (issue 15, decision 0031), through the engine: the real refresh script under
 * the real {@code sh}, on a copy of a cgroup v2 host's tree (the containers of
 * fixtures/v2/probe-docker-v2-systemd.txt, their directories moved under a temporary root: the files are
 * the kernel's names and formats, the values this test's). The full probe is the captured fixture.
 */
class LiveRefreshTest {
    private static final String FULL = "/fixtures/v2/probe-docker-v2-systemd.txt";
    private static final String TARGET = "vm1";

    @TempDir
    Path root;

    private final AtomicInteger fullRuns = new AtomicInteger();
    private final AtomicInteger lightRuns = new AtomicInteger();
    private ScanEngine engine;
    private final ScanOptions options = new ScanOptions(null, Duration.ofSeconds(20), 4);

    /** Replays the fixture for the full probe; runs the real refresh script with the paths moved under {@link #root}. */
    private final class CopiedTreeRunner implements ProbeRunner {
        @Override
        public ProbeOutput run(String nonce, Duration timeout) {
            fullRuns.incrementAndGet();
            // the full scan found counters no higher than the files below hold: they only grow while a cgroup lives
            // (a refresh that reads them lower sees a restarted container and runs the full probe)
            String text = FixtureRunners.fixture(FULL).replace("==HR:v2systemdnonce7f3a:", "==HR:" + nonce + ":")
                    .replaceAll("(?m)(^--- memory\\.peak\n)\\d+$", "$10").replaceAll("(?m)^(oom(_kill)?) \\d+$", "$1 0");
            return new ProbeOutput(text, "", 0, false);
        }

        @Override
        public ProbeOutput refresh(String nonce, List<String> arguments, Duration timeout) throws ProbeException {
            lightRuns.incrementAndGet();
            List<String> moved = new ArrayList<>();
            for (String a : arguments) {
                moved.add(a.startsWith("/sys/fs/cgroup/") ? root + a : a);
            }
            return new LocalProbeRunner().refresh(nonce, moved, timeout);
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        engine = new ScanEngine(t -> new CopiedTreeRunner(), "test");
        // the fixture's containers, as directories with the v2 memory files
        HostReport full = engine.scan(List.of(TARGET), options, ScanListener.NONE).hosts().get(0);
        assertThat(full.errors()).isEmpty();
        for (ContainerFacts c : full.facts().containers()) {
            if (c.cgroup() != null) {
                writeCgroup(c.cgroup().directory(), 1_000_000_000L, 100_000_000L, 0);
            }
        }
        fullRuns.set(0);
    }

    private void writeCgroup(String dir, long current, long inactiveFile, int oomKills) throws IOException {
        Path d = Path.of(root + dir);
        Files.createDirectories(d);
        Files.writeString(d.resolve("memory.max"), "4294967296\n");
        Files.writeString(d.resolve("memory.high"), "max\n");
        Files.writeString(d.resolve("memory.low"), "0\n");
        Files.writeString(d.resolve("memory.min"), "0\n");
        Files.writeString(d.resolve("memory.current"), current + "\n");
        Files.writeString(d.resolve("memory.peak"), (current + 5) + "\n");
        Files.writeString(d.resolve("memory.swap.max"), "max\n");
        Files.writeString(d.resolve("memory.events"), "low 0\nhigh 0\nmax 0\noom " + oomKills + "\noom_kill " + oomKills + "\n");
        Files.writeString(d.resolve("memory.stat"), "anon 1\nfile 2\nactive_file 3\ninactive_file " + inactiveFile + "\npgfault 9\n");
        Files.writeString(d.resolve("cpu.max"), "max 100000\n");
    }

    private HostReport refresh() throws InterruptedException {
        return engine.refresh(List.of(TARGET), options, ScanListener.NONE).hosts().get(0);
    }

    private List<ContainerFacts> withCgroup(HostReport r) {
        return r.facts().containers().stream().filter(c -> c.cgroup() != null).toList();
    }

    @Test
    void aScannedHostGetsTheLightRefreshWithWhatTheKernelFilesSayNow() throws Exception {
        HostReport r = refresh();
        assertThat(lightRuns).hasValue(1);
        assertThat(fullRuns).hasValue(0);
        assertThat(r.errors()).isEmpty();
        assertThat(withCgroup(r)).isNotEmpty().allSatisfy(c -> {
            assertThat(c.cgroup().usageBytes()).isEqualTo(1_000_000_000L);
            assertThat(c.cgroup().inactiveFileBytes()).isEqualTo(100_000_000L);
            assertThat(c.cgroup().peakBytes()).isEqualTo(1_000_000_005L);
            assertThat(c.cgroup().hardLimitBytes()).isEqualTo(4_294_967_296L);
        });
        // MemAvailable and MemTotal are this machine's now, not the fixture's
        long memTotal = MemInfoParser.parse(Files.readString(Path.of("/proc/meminfo"))).memTotalBytes();
        assertThat(r.facts().memInfo().memTotalBytes()).isEqualTo(memTotal);
        // what only the full probe reads stays as it read it
        HostReport again = refresh();
        assertThat(again.facts().containers()).extracting(ContainerFacts::name)
                .containsExactlyElementsOf(r.facts().containers().stream().map(ContainerFacts::name).toList());
        assertThat(again.facts().composeFiles()).isEqualTo(r.facts().composeFiles());
        assertThat(engine.refreshesSinceFullScan(TARGET)).isEqualTo(2);
    }

    @Test
    void usageAndOomKillsFollowTheFiles() throws Exception {
        refresh();
        String dir = withCgroup(refresh()).get(0).cgroup().directory();
        writeCgroup(dir, 3_000_000_000L, 1L, 2);
        ContainerFacts c = withCgroup(refresh()).stream().filter(x -> x.cgroup().directory().equals(dir)).findFirst().orElseThrow();
        assertThat(c.cgroup().usageBytes()).isEqualTo(3_000_000_000L);
        assertThat(c.cgroup().workingSetBytes()).isEqualTo(2_999_999_999L);
        assertThat(c.cgroup().oomKills()).isEqualTo(2L);
        assertThat(fullRuns).hasValue(0);
    }

    @Test
    void aNewContainerBesideTheKnownOnesBringsTheFullProbeBack() throws Exception {
        refresh();                      // sets the ids seen beside the known cgroups
        refresh();
        assertThat(fullRuns).hasValue(0);
        String dir = withCgroup(refresh()).get(0).cgroup().directory();
        Path parent = Path.of(root + dir).getParent();
        Files.createDirectories(parent.resolve("docker-" + "a".repeat(64) + ".scope"));
        refresh();
        assertThat(fullRuns).hasValue(1);
        assertThat(engine.refreshesSinceFullScan(TARGET)).isZero();
    }

    @Test
    void aContainerWhoseCgroupIsGoneBringsTheFullProbeBack() throws Exception {
        String dir = withCgroup(refresh()).get(0).cgroup().directory();
        try (var files = Files.list(Path.of(root + dir))) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(Path.of(root + dir));
        refresh();
        assertThat(fullRuns).hasValue(1);
    }

    @Test
    void theFullProbeRunsAtLeastEveryThirtyRefreshes() throws Exception {
        for (int i = 0; i < LiveRefresh.FULL_PROBE_EVERY; i++) {
            refresh();
        }
        assertThat(fullRuns).hasValue(0);
        refresh();
        assertThat(fullRuns).hasValue(1);
        assertThat(lightRuns).hasValue(LiveRefresh.FULL_PROBE_EVERY);
    }

    @Test
    void aHostNeverScannedGetsTheFullProbe() throws Exception {
        HostReport r = engine.refresh(List.of("vm2"), options, ScanListener.NONE).hosts().get(0);
        assertThat(r.errors()).isEmpty();
        assertThat(fullRuns).hasValue(1);
        assertThat(lightRuns).hasValue(0);
    }
}
