package io.headroom.engine.report;

import io.headroom.analysis.DeathJoin;
import io.headroom.engine.FixtureRunners;
import io.headroom.engine.ScanEngine;
import io.headroom.engine.ScanListener;
import io.headroom.engine.ScanOptions;
import io.headroom.engine.Snapshots;
import io.headroom.model.DeathReport;
import io.headroom.model.DeathTimeline;
import io.headroom.model.ScanReport;
import io.headroom.probe.DeathEvidenceAssembler;
import io.headroom.probe.ProbeRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deaths in a snapshot and in both report formats (issue 20): the real v1 deaths evidence
 * ({@code fixtures/deaths/v1-deaths-script-output-counters.txt}) joined, saved with a scan, read back equal, and
 * rendered per host, with a hostile container name escaped.
 */
class DeathsReportTest {
    private static final String HOSTILE = "w<img src=x onerror=alert(1)>`|";

    @TempDir
    Path dir;

    private static String fixture(String name) throws IOException {
        try (InputStream in = DeathsReportTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static ScanReport scan() throws InterruptedException {
        String text = FixtureRunners.fixture("/fixtures/probe/podman-cgroup-v1-hybrid.txt");
        ScanEngine engine = new ScanEngine(target -> (ProbeRunner) (nonce, timeout) -> new ProbeRunner.ProbeOutput(
                text.replace("==HR:" + FixtureRunners.FIXTURE_NONCE + ":", "==HR:" + nonce + ":"), "", 0, false), "9.9-test");
        return engine.scan(List.of("local"), ScanOptions.DEFAULTS, new ScanListener() { });
    }

    private static DeathReport deaths() throws IOException {
        String out = fixture("/fixtures/deaths/v1-deaths-script-output-counters.txt").replace("i20e-deaths_worker-fast_1", HOSTILE);
        Instant since = Instant.parse("2026-12-06T02:55:00Z");
        DeathTimeline t = DeathJoin.join("local", DeathEvidenceAssembler.assemble(out, "abc", since), null);
        return new DeathReport(since, Instant.parse("2026-12-06T03:00:00Z"), List.of(t));
    }

    @Test
    void snapshotCarriesTheDeathsAndReadsThemBackEqual() throws Exception {
        ScanReport r = scan();
        DeathReport d = deaths();
        Path f = dir.resolve("prod.headroom.json");
        Snapshots.write(r, d, f);
        Snapshots.Snapshot back = Snapshots.readSnapshot(f);
        assertEquals(r, back.report());
        assertEquals(d, back.deaths());
        assertEquals(2, d.deathCount(), "the kernel kill in worker-fast and the nanny restart in worker-slow");
        Snapshots.write(r, f);
        assertNull(Snapshots.readSnapshot(f).deaths(), "a scan's snapshot has none");
        assertEquals(r, Snapshots.read(f));
    }

    @Test
    void bothFormatsShowEachHostsDeathsEscaped() throws Exception {
        ScanReport r = scan();
        DeathReport d = deaths();
        Path md = dir.resolve("r.md");
        ReportWriter.write(r, d, "snapshot", Map.of(), ReportWriter.Format.MARKDOWN, md);
        String m = Files.readString(md);
        assertTrue(m.contains("### Deaths since 2026-12-06T02:55:00Z (2)"), m);
        assertTrue(m.contains("#### 2026-12-06T02:56:18.729798Z · KERNEL_OOM_CONTAINER · "), m);
        assertTrue(m.contains("- **Worker:** pid 9 in the container, pid 4856 on the host"), m);
        assertTrue(m.contains("cgroup counters since the container started: oom_kill 1 failcnt 104"), m);
        assertTrue(m.contains("DASK_NANNY_RESTART · i20e-deaths\\_worker-slow\\_1"), m);
        assertFalse(m.contains("<img"), "the hostile name is escaped in Markdown");
        Path html = dir.resolve("r.html");
        ReportWriter.write(r, d, "snapshot", Map.of(), ReportWriter.Format.HTML, html);
        String h = Files.readString(html);
        assertTrue(h.contains("<h3>Deaths since 2026-12-06T02:55:00Z (2)</h3>"), h);
        assertTrue(h.contains("KERNEL_OOM_CONTAINER · w&lt;img src=x onerror=alert(1)&gt;"), h);
        assertFalse(h.contains("<img src=x"), h);
        assertTrue(h.contains("Not read: boot units: no systemd on this VM"), h);
    }
}
