package io.headroom.probe;

import io.headroom.model.HostFacts;
import io.headroom.probe.parse.ProbeStream;
import io.headroom.probe.parse.ProbeStreamParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A light refresh's output is remote data: whatever comes back, {@link RefreshAssembler} gives either facts
 * or the reason to run the full probe, never an exception (decision 0031). The base facts are a real
 * cgroup v2 + systemd host's (fixtures/v2/probe-docker-v2-systemd.txt).
 */
class RefreshAssemblerTest {
    private static final String N = "feedc0de";
    private static final String ID = "180ec4495e8a43748156210406c94d49dae3557c34b0238c165d2f60093302e1";
    private static final String DIR = "/sys/fs/cgroup/system.slice/docker-" + ID + ".scope";
    private static HostFacts base;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = RefreshAssemblerTest.class.getResourceAsStream("/fixtures/v2/probe-docker-v2-systemd.txt")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            base = HostFactsAssembler.assemble("vm", ProbeStreamParser.parse(text, "v2systemdnonce7f3a"));
        }
        assertThat(base.containers()).anyMatch(c -> c.id().equals(ID));
    }

    private static String good(String current) {
        StringBuilder sb = new StringBuilder();
        sb.append("==HR:").append(N).append(":begin grep -\n")
                .append("/proc/meminfo:MemTotal:       8000000 kB\n/proc/meminfo:MemAvailable:   4000000 kB\n")
                .append(DIR).append("/memory.stat:inactive_file 4096\n")
                .append("==HR:").append(N).append(":end grep status=ok\n");
        for (var c : base.containers()) {
            if (c.cgroup() == null) {
                continue;
            }
            sb.append("==HR:").append(N).append(":begin container-cgroup ").append(c.id()).append('\n')
                    .append("--- dir v2 ").append(c.cgroup().directory()).append('\n')
                    .append("--- memory.max\nmax\n--- memory.current\n").append(current).append('\n')
                    .append("==HR:").append(N).append(":end container-cgroup status=ok\n");
        }
        sb.append("==HR:").append(N).append(":begin siblings -\ndocker-").append(ID).append(".scope\n")
                .append("==HR:").append(N).append(":end siblings status=ok\n==HR:").append(N).append(":done version=1\n");
        return sb.toString();
    }

    private static RefreshAssembler.Result apply(String text) {
        ProbeStream s = ProbeStreamParser.parse(text, N);
        return RefreshAssembler.apply(base, s, 10);
    }

    @Test
    void aGoodRefreshReplacesTheNumbersAndKeepsTheRest() {
        RefreshAssembler.Result r = apply(good("123456"));
        assertThat(r.fullProbeReason()).isNull();
        assertThat(r.facts().memInfo().memAvailableBytes()).isEqualTo(4_000_000L * 1024);
        var c = r.facts().containers().stream().filter(x -> x.id().equals(ID)).findFirst().orElseThrow();
        assertThat(c.cgroup().usageBytes()).isEqualTo(123456L);
        assertThat(c.cgroup().inactiveFileBytes()).isEqualTo(4096L);
        assertThat(c.cgroup().hardLimitBytes()).isNull();   // "max": the limit was lifted since the full scan
        assertThat(c.processes()).isEqualTo(base.containers().stream().filter(x -> x.id().equals(ID)).findFirst().orElseThrow().processes());
        assertThat(r.facts().epochSeconds()).isEqualTo(base.epochSeconds() + 10);
        assertThat(r.siblingIds()).containsExactly(ID);
    }

    @Test
    void whatCannotStandForAScanSaysWhy() {
        assertThat(apply(good("1").replace("==HR:" + N + ":done version=1\n", "")).fullProbeReason()).contains("did not finish");
        assertThat(apply(good("1").replace("/proc/meminfo:", "/proc/other:")).fullProbeReason()).contains("meminfo");
        assertThat(apply(good("1").replace("begin container-cgroup " + ID, "begin container-cgroup " + "f".repeat(64)))
                .fullProbeReason()).contains("changed");
        assertThat(apply(good("1").replace("--- dir v2 " + DIR, "--- nothing")).fullProbeReason()).isNotNull();
        assertThat(apply(good("1").replace("end container-cgroup status=ok", "end container-cgroup status=unavailable gone"))
                .fullProbeReason()).contains("gone");
    }

    /** A container restarted under the same id between two refreshes: its new cgroup's counters start again. */
    @Test
    void aCounterThatGoesBackwardsIsARestartNotANumber() {
        RefreshAssembler.Result first = apply(good("100").replace("--- memory.current\n100\n",
                "--- memory.current\n100\n--- memory.peak\n9000000000\n--- memory.events\nlow 0\nhigh 0\nmax 3\noom 50\noom_kill 50\n"));
        assertThat(first.fullProbeReason()).isNull();
        HostFacts after = first.facts();
        ProbeStream peakBack = ProbeStreamParser.parse(good("100").replace("--- memory.current\n100\n",
                "--- memory.current\n100\n--- memory.peak\n400\n--- memory.events\nlow 0\nhigh 0\nmax 3\noom 50\noom_kill 50\n"), N);
        assertThat(RefreshAssembler.apply(after, peakBack, 10).fullProbeReason())
                .contains("restarted or its counters were reset").contains("peak 9000000000 -> 400 bytes");
        ProbeStream oomBack = ProbeStreamParser.parse(good("100").replace("--- memory.current\n100\n",
                "--- memory.current\n100\n--- memory.peak\n9100000000\n--- memory.events\nlow 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n"), N);
        assertThat(RefreshAssembler.apply(after, oomBack, 10).fullProbeReason()).contains("OOM kills 50 -> 0");
        ProbeStream grown = ProbeStreamParser.parse(good("100").replace("--- memory.current\n100\n",
                "--- memory.current\n100\n--- memory.peak\n9100000000\n--- memory.events\nlow 0\nhigh 0\nmax 4\noom 51\noom_kill 51\n"), N);
        assertThat(RefreshAssembler.apply(after, grown, 10).fullProbeReason()).isNull();
    }

    @Test
    void hostileOutputNeverThrows() {
        Random rnd = new Random(15);
        String good = good("42");
        for (int i = 0; i < 20_000; i++) {
            StringBuilder t = new StringBuilder(good);
            int edits = 1 + rnd.nextInt(8);
            for (int e = 0; e < edits && t.length() > 0; e++) {
                int at = rnd.nextInt(t.length());
                switch (rnd.nextInt(5)) {
                    case 0 -> t.deleteCharAt(at);
                    case 1 -> t.insert(at, (char) rnd.nextInt(0x3000));
                    case 2 -> t.insert(at, ":");
                    case 3 -> t.insert(at, "\n/proc/meminfo:" + "9".repeat(rnd.nextInt(40)));
                    default -> t.setLength(at);
                }
            }
            RefreshAssembler.Result r = apply(t.toString());
            assertThat(r.facts() != null ^ r.fullProbeReason() != null).as(t.toString()).isTrue();
        }
        assertThat(apply("x".repeat(2_000_000)).fullProbeReason()).isNotNull();
        assertThat(apply("").fullProbeReason()).isNotNull();
    }
}
