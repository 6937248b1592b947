package io.headroom.engine.report;

import io.headroom.model.DeathReport;
import io.headroom.model.DeathTimeline;
import io.headroom.model.Finding;
import io.headroom.model.HostFacts;
import io.headroom.model.HostReport;
import io.headroom.model.ScanReport;
import io.headroom.model.WorkerDeath;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.headroom.engine.report.ReportContent.containerRows;
import static io.headroom.engine.report.ReportContent.deathRows;
import static io.headroom.engine.report.ReportContent.deathTitle;
import static io.headroom.engine.report.ReportContent.deathsHeading;
import static io.headroom.engine.report.ReportContent.timelineNotes;
import static io.headroom.engine.report.ReportContent.gib;
import static io.headroom.engine.report.ReportContent.hostLine;
import static io.headroom.engine.report.ReportContent.hostRows;
import static io.headroom.engine.report.ReportContent.limitsText;
import static io.headroom.engine.report.ReportContent.status;
import static io.headroom.engine.report.ReportEscaping.clean;
import static io.headroom.engine.report.ReportEscaping.longestRun;
import static io.headroom.engine.report.ReportEscaping.md;

/**
 * Renders a scan as a Markdown report: a summary table, then per host its figures, a link to its chart
 * picture, its containers, findings, OOM kills, its deaths (when fetched, issue 20) and unreadable files. Remote strings are escaped with
 * {@link ReportEscaping#md}; the OOM timeline goes in a code fence longer than any backtick run in it.
 */
final class MarkdownReport {
    private MarkdownReport() {
    }

    /** The report as Markdown; {@code chartFiles} maps a target to its chart picture's relative file name. */
    static String render(ScanReport report, String source, Map<String, String> chartFiles, DeathReport deaths) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Headroom report\n\n");
        sb.append("- Source: ").append(md(source)).append('\n');
        sb.append("- Scanned at: ").append(Instant.ofEpochMilli(report.startedEpochMillis())).append('\n');
        sb.append("- Headroom ").append(md(report.headroomVersion())).append('\n');
        sb.append("- Sizes in GiB (2^30 bytes), exact bytes in brackets. Dask budget = what the VM can give Dask:"
                + " MemAvailable + the Dask containers' working set − reserve.\n\n");
        sb.append("| Host | Status | MemAvailable | Budget | Σ Dask limits | Worst finding |\n");
        sb.append("|---|---|---|---|---|---|\n");
        for (HostReport h : report.hosts()) {
            HostSummary s = HostSummary.of(h);
            Finding w = h.findings().isEmpty() ? null : h.findings().get(0);
            sb.append("| ").append(md(h.target())).append(" | ").append(status(h)).append(" | ")
                    .append(h.scanned() ? gib(s.memAvailable()) : "–").append(" | ")
                    .append(h.scanned() ? gib(s.budget()) : "–").append(" | ")
                    .append(h.scanned() ? limitsText(h, s) : "–").append(" | ")
                    .append(w == null ? "" : md(w.code() + (w.container() == null ? "" : " (" + w.container() + ")")))
                    .append(" |\n");
        }
        for (HostReport h : report.hosts()) {
            hostMarkdown(sb, h, chartFiles.get(h.target()), deaths);
        }
        return sb.toString();
    }

    private static void hostMarkdown(StringBuilder sb, HostReport h, String chartFile, DeathReport deaths) {
        sb.append("\n## ").append(md(h.target())).append("\n\n");
        if (!h.scanned()) {
            sb.append("**Not scanned.**\n\n");
            h.errors().forEach(e -> sb.append("- ").append(md(e)).append('\n'));
            return;
        }
        HostFacts f = h.facts();
        HostSummary s = HostSummary.of(h);
        sb.append(hostLine(h, ReportEscaping::md)).append("\n\n");
        sb.append("| Figure | Value |\n|---|---|\n");
        for (String[] row : hostRows(h, s)) {
            sb.append("| ").append(row[0]).append(" | ").append(row[1]).append(" |\n");
        }
        if (chartFile != null) {
            sb.append("\n![headroom chart of ").append(md(h.target())).append("](").append(chartFile).append(")\n");
        }
        if (s.containers().isEmpty()) {
            sb.append('\n').append(HostSummary.noDaskContainers(f)).append('\n');
        }
        for (ContainerFigures c : s.containers()) {
            sb.append("\n### Container ").append(md(c.name())).append("\n\n| Figure | Value |\n|---|---|\n");
            for (String[] row : containerRows(c)) {
                sb.append("| ").append(row[0]).append(" | ").append(row[1]).append(" |\n");
            }
        }
        sb.append("\n### Findings\n\n");
        if (h.findings().isEmpty()) {
            sb.append("No findings: the limits fit what this VM can give.\n");
        }
        for (Finding x : h.findings()) {
            sb.append("- **").append(x.severity().label().toUpperCase(Locale.ROOT)).append("** · ").append(x.code())
                    .append(x.container() == null ? "" : " · " + md(x.container())).append(": ").append(md(x.message()));
            if (x.recommendedLimitBytes() != null) {
                sb.append(" Recommended `mem_limit`: **").append(gib(x.recommendedLimitBytes())).append("**");
            }
            sb.append('\n');
        }
        List<String> oom = HostSummary.oomTimeline(h);
        sb.append("\n### OOM kills (").append(h.facts().oomEvents().size()).append(")\n\n");
        if (oom.isEmpty()) {
            sb.append("No OOM kills in the kernel log.\n");
        } else {
            String body = String.join("\n", oom.stream().map(ReportEscaping::clean).toList());
            String fence = "`".repeat(Math.max(3, longestRun(body, '`') + 1));
            sb.append(fence).append('\n').append(body).append('\n').append(fence).append('\n');
        }
        DeathTimeline t = deaths == null ? null : deaths.of(h.target());
        if (t != null) {
            deathsMarkdown(sb, deaths, t);
        }
        if (!h.errors().isEmpty()) {
            sb.append("\n### Not readable\n\n");
            h.errors().forEach(e -> sb.append("- ").append(md(e)).append('\n'));
        }
    }

    private static void deathsMarkdown(StringBuilder sb, DeathReport deaths, DeathTimeline t) {
        sb.append("\n### ").append(deathsHeading(deaths, t)).append('\n');
        if (t.deaths().isEmpty()) {
            sb.append("\nNo worker died in this window.\n");
        }
        for (WorkerDeath d : t.deaths()) {
            sb.append("\n#### ").append(deathTitle(d, ReportEscaping::md)).append("\n\n");
            for (String[] row : deathRows(d)) {
                sb.append("- **").append(row[0]).append(":** ").append(md(row[1])).append('\n');
            }
            String body = String.join("\n", d.evidence().stream().map(ReportEscaping::clean).toList());
            String fence = "`".repeat(Math.max(3, longestRun(body, '`') + 1));
            sb.append('\n').append(fence).append('\n').append(body).append('\n').append(fence).append('\n');
        }
        List<String> notes = timelineNotes(t);
        if (!notes.isEmpty()) {
            sb.append('\n');
            notes.forEach(n -> sb.append("- ").append(md(n)).append('\n'));
        }
    }
}
