package io.headroom.engine.report;

import io.headroom.engine.FixtureRunners;
import io.headroom.engine.ScanEngine;
import io.headroom.engine.ScanListener;
import io.headroom.engine.ScanOptions;
import io.headroom.model.HostFacts;
import io.headroom.model.HostReport;
import io.headroom.model.ScanReport;
import io.headroom.probe.ProbeException;
import io.headroom.probe.ProbeRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Markdown and HTML reports: the figures, findings, OOM kills, charts, and escaping of what VMs send. */
class ReportWriterTest {
    private static final String V1 = "/fixtures/probe/podman-cgroup-v1-hybrid.txt";
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};

    @TempDir
    Path dir;

    /** Scans the captured fixture, with container names replaced as a hostile VM might name them. */
    private static ScanReport scan(Map<String, String> rename, String... targets) throws InterruptedException {
        String text = FixtureRunners.fixture(V1);
        for (var e : rename.entrySet()) {
            text = text.replace(e.getKey(), e.getValue());
        }
        String fixture = text;
        ScanEngine engine = new ScanEngine(target -> {
            if (target.startsWith("gone")) {
                throw new ProbeException("name not found: " + target);
            }
            return (ProbeRunner) (nonce, timeout) -> new ProbeRunner.ProbeOutput(
                    fixture.replace("==HR:" + FixtureRunners.FIXTURE_NONCE + ":", "==HR:" + nonce + ":"), "", 0, false);
        }, "9.9-test");
        return engine.scan(List.of(targets), ScanOptions.DEFAULTS, new ScanListener() { });
    }

    /** --no-nanny (issue 22): no NannyMemoryManager, so the report says there is no restart instead of a figure. */
    @Test
    void aWorkerWithoutNannyHasNoRestartPoint() throws Exception {
        ScanReport r = scan(Map.of("/usr/bin/dask-worker\ntcp://scheduler:8786\n--nthreads\n1\n\n--- status\nName:\tdask-worker\nPPid:\t10503",
                "/usr/bin/dask-worker\ntcp://scheduler:8786\n--nthreads\n1\n--no-nanny\n\n--- status\nName:\tdask-worker\nPPid:\t10503"), "local");
        Path out = dir.resolve("r.md");
        ReportWriter.write(r, "scan", Map.of(), ReportWriter.Format.MARKDOWN, out);
        String md = Files.readString(out);
        String worker = md.substring(md.indexOf("### Container hr-basic\\_worker\\_1"));
        assertTrue(worker.contains("| terminate (nanny restart) at 95% | no restart at 95%: no nanny |"), worker);
    }

    @Test
    void markdownCarriesFiguresThresholdsFindingsOomKillsAndTheChartFile() throws Exception {
        ScanReport r = scan(Map.of(), "local", "gone-vm");
        Path out = dir.resolve("cluster report.md");
        List<Path> files = ReportWriter.write(r, "SNAPSHOT prod.headroom.json", Map.of("local", PNG), ReportWriter.Format.MARKDOWN, out);
        Path png = dir.resolve("cluster_report-chart-1-local.png");
        assertEquals(List.of(out, png), files);
        assertArrayEquals(PNG, Files.readAllBytes(png));
        String md = Files.readString(out);
        assertTrue(md.contains("![headroom chart of local](cluster_report-chart-1-local.png)"), md);
        assertTrue(md.contains("| MemTotal | 23.54 GiB (25,276,510,208 bytes) |"), md);
        assertTrue(md.contains("- Source: SNAPSHOT prod.headroom.json"), md);
        // the worker container: 2 GiB cgroup limit, 1 GiB Dask limit, default thresholds
        String worker = md.substring(md.indexOf("### Container hr-basic\\_worker\\_1"));
        assertTrue(worker.contains("| cgroup limit | 2.00 GiB (2,147,483,648 bytes) |"), worker);
        assertTrue(worker.contains("| Dask memory limit (1 worker) | 1.00 GiB (1,073,741,824 bytes) |"), worker);
        assertTrue(worker.contains("| spill at 70% | 0.70 GiB (" + String.format(java.util.Locale.ROOT, "%,d", (long) Math.floor(0.7 * 1073741824L)) + " bytes) |"), worker);
        assertTrue(worker.contains("| terminate (nanny restart) at 95% | 0.95 GiB (1,020,054,732 bytes) |"), worker);
        HostReport local = r.hosts().get(0);
        var first = local.findings().get(0);
        assertTrue(md.contains("- **CRITICAL** · " + first.code()), md);
        var recommended = local.findings().stream().filter(f -> f.recommendedLimitBytes() != null).findFirst().orElseThrow();
        assertTrue(md.contains("Recommended `mem_limit`: **" + ReportContent.gib(recommended.recommendedLimitBytes()) + "**"), md);
        assertTrue(md.contains("### OOM kills (" + local.facts().oomEvents().size() + ")"), md);
        assertTrue(local.facts().oomEvents().size() > 0);
        assertTrue(md.contains(local.facts().oomEvents().get(0).line()), "kernel lines verbatim inside a code fence");
        // the unreachable host says why, and has no chart
        assertTrue(md.contains("## gone-vm\n\n**Not scanned.**\n\n- gone-vm: name not found: gone-vm"), md);
        assertTrue(md.contains("| gone-vm | UNREACHABLE |"), md);
    }

    @Test
    void htmlIsSelfContainedWithTheChartEmbedded() throws Exception {
        ScanReport r = scan(Map.of(), "local");
        Path out = dir.resolve("r.html");
        List<Path> files = ReportWriter.write(r, "live scan", Map.of("local", PNG), ReportWriter.Format.HTML, out);
        assertEquals(List.of(out), files, "no files beside a self-contained page");
        String html = Files.readString(out, StandardCharsets.UTF_8);
        assertTrue(html.contains("src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(PNG) + "\""), html);
        assertTrue(html.contains("Content-Security-Policy\" content=\"default-src 'none'; img-src data:"), html);
        assertFalse(html.matches("(?s).*(src|href)=\"(http|//).*"), "nothing is loaded from elsewhere");
        assertTrue(html.contains("<tr><th>cgroup limit</th><td class=\"n\">2.00 GiB (2,147,483,648 bytes)</td></tr>"), html);
        assertTrue(html.contains("<span class=\"critical\">CRITICAL</span> · NO_LIMIT"), html);
    }

    @Test
    void hostileNamesFromAVmCannotInjectMarkup() throws Exception {
        String evil = "<img src=x onerror=alert(1)>";
        String link = "x](javascript:alert(2))*`|";
        ScanReport r = scan(Map.of("hr-basic_worker_1", evil, "hr-cap-nolimit", link), "local");
        String html = ReportWriter.html(r, "<script>alert(3)</script>", Map.of());
        assertFalse(html.contains("<img src=x"), "no raw tag from a container name");
        assertFalse(html.contains("<script>"), "no raw tag from the source line");
        assertTrue(html.contains("Container &lt;img src=x onerror=alert(1)&gt;"), html);
        assertTrue(html.contains("&lt;script&gt;alert(3)&lt;/script&gt;"), html);
        String md = ReportWriter.markdown(r, "<script>alert(3)</script>", Map.of());
        assertFalse(md.contains("<img"), "Markdown passes raw HTML through: it must be entities");
        assertFalse(md.contains("<script"), md);
        assertTrue(md.contains("### Container &lt;img src=x onerror=alert(1)&gt;"), md);
        assertTrue(md.contains("### Container x\\](javascript:alert(2))\\*\\`\\|"), "no link, emphasis, code or cell break: " + md);
        assertFalse(md.contains("x](javascript"), md);
    }

    @Test
    void escapingHandlesControlsAndFences() {
        assertEquals("a\uFFFDb \uFFFDc", ReportEscaping.md("a\u001bb\n\u202ec"));
        assertEquals("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;", ReportEscaping.html("<a href=\"x\" title='y'>&"));
        assertEquals(ReportWriter.Format.MARKDOWN, ReportWriter.Format.of("md"));
        assertEquals(ReportWriter.Format.HTML, ReportWriter.Format.ofFile(Path.of("x.HTML")));
        assertThrows(IllegalArgumentException.class, () -> ReportWriter.Format.of("pdf"));
    }

    @Test
    void aHostWithoutDaskSaysWhatWasLookedAt() {
        HostFacts none = new HostFacts("vm", 1, 0, "vm", "6.1", 2, io.headroom.model.CgroupMode.V2, null,
                List.of(), Map.of(), Map.of(), null, List.of(), List.of(), true);
        assertEquals("No Dask worker containers: looked at 0 running containers via `docker ps`; in none does the"
                + " command or a process run dask-worker, dask worker or"
                + " python -m distributed.cli.dask_worker.", HostSummary.noDaskContainers(none));
        HostFacts noDocker = new HostFacts("vm", 1, 0, "vm", "6.1", 2, io.headroom.model.CgroupMode.V2, null,
                List.of(), Map.of(), Map.of(), null, List.of(), List.of(), false);
        assertTrue(HostSummary.noDaskContainers(noDocker).contains("did not answer"));
    }
}
