package io.headroom.ui;

import io.headroom.cli.HeadroomCli;
import io.headroom.engine.FixtureRunners;
import io.headroom.engine.ScanEngine;
import io.headroom.engine.ScanListener;
import io.headroom.engine.ScanOptions;
import io.headroom.engine.fix.AuditLog;
import io.headroom.engine.fix.FixService;
import io.headroom.engine.inventory.Settings;
import io.headroom.engine.report.ReportWriter;
import io.headroom.model.Finding;
import io.headroom.model.HostReport;
import io.headroom.model.ScanReport;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One recommended limit per scan, shown the same in all five places a user reads it (issue 16): the
 * finding (JSON), the CLI's table, the Markdown report, the fix wizard and {@code headroom fix}. The
 * captures are v2-lab VMs with one Dask worker container each, where before several findings could
 * recommend different limits for the same container (RESERVATION_SHRINKS_DASK its current limit,
 * WASTED_HEADROOM the VM's share).
 */
class OneNumberEverywhereTest {
    @TempDir
    Path dir;

    private static ScanEngine engine(String fixture) {
        return new ScanEngine(FixtureRunners.of(Map.of("vm", fixture)), "t");
    }

    private static String cli(String fixture, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new HeadroomCli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), engine(fixture)).run(args);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Set<Long> all(Pattern p, String text) {
        Set<Long> found = new TreeSet<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            found.add(Long.parseLong(m.group(1).replace(",", "")));
        }
        return found;
    }

    @ParameterizedTest
    @ValueSource(strings = {"/fixtures/lab-v2/s1-no-limit.txt", "/fixtures/lab-v2/s3-limit-above-host.txt",
            "/fixtures/lab-v2/s4-reservation.txt", "/fixtures/lab-v2/s10-deploy-limits.txt", "/fixtures/lab/s1-no-limit.txt"})
    void theFindingTheTableTheReportTheWizardAndFixShowOneNumber(String fixture) throws Exception {
        ScanReport report = engine(fixture).scan(List.of("vm"), ScanOptions.DEFAULTS, ScanListener.NONE);
        HostReport host = report.hosts().get(0);
        Set<Long> findings = new TreeSet<>();
        for (Finding f : host.findings()) {
            if (f.recommendedLimitBytes() != null && (f.container() == null || !f.container().startsWith("hr-basic"))) {
                findings.add(f.recommendedLimitBytes());
            }
        }
        assertEquals(1, findings.size(), "one recommendation among the findings: " + host.findings());
        long one = findings.iterator().next();

        String table = cli(fixture, "scan", "vm");
        Set<Long> inTable = all(Pattern.compile("\\[recommended mem_limit: (\\d+) bytes]"), table);
        assertTrue(inTable.contains(one), table);

        String md = ReportWriter.markdown(report, "test", Map.of());
        Set<Long> inReport = all(Pattern.compile("Recommended `mem_limit`: \\*\\*[0-9.]+ GiB \\(([0-9,]+) bytes\\)\\*\\*"), md);
        assertTrue(inReport.contains(one), md);

        FixService service = new FixService(new FixService.VmAccess() {
            @Override
            public io.headroom.engine.fix.VmFiles open(String target) throws IOException {
                throw new IOException("no VM in this test");
            }

            @Override
            public boolean sudoAllowed(String target) {
                return false;
            }
        }, engine(fixture), ScanOptions.DEFAULTS, new AuditLog(dir.resolve("audit.jsonl")), new Settings(false, "test"));
        FixWizardViewModel wizard = new FixWizardViewModel(List.of(host), service, BackgroundExecutor.synchronous(), null);
        FixWizardViewModel.PlanItem plan = wizard.plans().stream().filter(p -> !p.plan().project().equals("hr-basic")).findFirst()
                .orElseThrow();
        assertEquals(one, plan.plan().bytes(), plan.title());
        assertTrue(plan.title().contains(String.format(java.util.Locale.ROOT, "(%,d bytes)", one)), plan.title());

        String fix = cli(fixture, "fix", "vm");
        Set<Long> inFix = all(Pattern.compile("services \\[[^]]*]: mem_limit (\\d+) bytes"), fix);
        assertTrue(inFix.contains(one), fix);
        if (!fixture.startsWith("/fixtures/lab/")) {
            // a v2 VM holds only the scenario's project: every number any view shows is the one
            assertEquals(Set.of(one), inTable, table);
            assertEquals(Set.of(one), inReport, md);
            assertEquals(Set.of(one), inFix, fix);
        }
        assertFalse(table.isBlank() || md.isBlank() || fix.isBlank());
    }
}
