package io.headroom.engine.report;

import io.headroom.model.DeathReport;
import io.headroom.model.DeathTimeline;
import io.headroom.model.Finding;
import io.headroom.model.HostFacts;
import io.headroom.model.HostReport;
import io.headroom.model.ScanReport;
import io.headroom.model.WorkerDeath;

import java.time.Instant;
import java.util.Base64;
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
import static io.headroom.engine.report.ReportEscaping.html;

/**
 * Renders a scan as one self-contained HTML page: a strict Content-Security-Policy (no script, images
 * only as {@code data:} URIs), inline CSS, a summary table linking to each host's section, and the
 * chart pictures embedded as base64 PNGs. Remote strings are escaped with {@link ReportEscaping#html}.
 */
final class HtmlReport {
    private HtmlReport() {
    }

    /** The report as one self-contained HTML page; charts are PNG bytes by target, embedded as data URIs. */
    static String render(ScanReport report, String source, Map<String, byte[]> charts, DeathReport deaths) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">\n")
                .append("<title>Headroom report</title>\n<style>\n")
                .append("body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#1f2328}\n")
                .append("table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #d0d7de;padding:3px 8px;text-align:left}\n")
                .append("th{background:#f6f8fa}td.n{text-align:right;font-variant-numeric:tabular-nums}\n")
                .append(".critical{color:#d1242f;font-weight:bold}.warning{color:#9a6700;font-weight:bold}.info{color:#0969da;font-weight:bold}\n")
                .append("pre{background:#f6f8fa;padding:8px;overflow-x:auto;white-space:pre-wrap}img{max-width:100%;border:1px solid #d0d7de}\n")
                .append("</style>\n</head>\n<body>\n<h1>Headroom report</h1>\n<ul>\n")
                .append("<li>Source: ").append(html(source)).append("</li>\n")
                .append("<li>Scanned at: ").append(Instant.ofEpochMilli(report.startedEpochMillis())).append("</li>\n")
                .append("<li>Headroom ").append(html(report.headroomVersion())).append("</li>\n")
                .append("<li>Sizes in GiB (2<sup>30</sup> bytes), exact bytes in brackets. Dask budget = what the VM can give Dask:"
                        + " MemAvailable + the Dask containers' working set − reserve.</li>\n</ul>\n");
        sb.append("<table>\n<tr><th>Host</th><th>Status</th><th>MemAvailable</th><th>Budget</th><th>Σ Dask limits</th><th>Worst finding</th></tr>\n");
        for (HostReport h : report.hosts()) {
            HostSummary s = HostSummary.of(h);
            Finding w = h.findings().isEmpty() ? null : h.findings().get(0);
            sb.append("<tr><td><a href=\"#host-").append(report.hosts().indexOf(h) + 1).append("\">").append(html(h.target()))
                    .append("</a></td><td>").append(status(h)).append("</td><td class=\"n\">")
                    .append(h.scanned() ? gib(s.memAvailable()) : "–").append("</td><td class=\"n\">")
                    .append(h.scanned() ? gib(s.budget()) : "–").append("</td><td class=\"n\">")
                    .append(h.scanned() ? html(limitsText(h, s)) : "–").append("</td><td>")
                    .append(w == null ? "" : html(w.code() + (w.container() == null ? "" : " (" + w.container() + ")")))
                    .append("</td></tr>\n");
        }
        sb.append("</table>\n");
        int i = 0;
        for (HostReport h : report.hosts()) {
            hostHtml(sb, h, ++i, charts.get(h.target()), deaths);
        }
        sb.append("</body>\n</html>\n");
        return sb.toString();
    }

    private static void hostHtml(StringBuilder sb, HostReport h, int index, byte[] chart, DeathReport deaths) {
        sb.append("<h2 id=\"host-").append(index).append("\">").append(html(h.target())).append("</h2>\n");
        if (!h.scanned()) {
            sb.append("<p><b>Not scanned.</b></p>\n<ul>\n");
            h.errors().forEach(e -> sb.append("<li>").append(html(e)).append("</li>\n"));
            sb.append("</ul>\n");
            return;
        }
        HostFacts f = h.facts();
        HostSummary s = HostSummary.of(h);
        sb.append("<p>").append(hostLine(h, ReportEscaping::html)).append("</p>\n");
        sb.append("<table>\n");
        for (String[] row : hostRows(h, s)) {
            sb.append("<tr><th>").append(html(row[0])).append("</th><td class=\"n\">").append(html(row[1])).append("</td></tr>\n");
        }
        sb.append("</table>\n");
        if (chart != null) {
            sb.append("<p><img alt=\"headroom chart of ").append(html(h.target())).append("\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(chart)).append("\"></p>\n");
        }
        if (s.containers().isEmpty()) {
            sb.append("<p>").append(html(HostSummary.noDaskContainers(f))).append("</p>\n");
        }
        for (ContainerFigures c : s.containers()) {
            sb.append("<h3>Container ").append(html(c.name())).append("</h3>\n<table>\n");
            for (String[] row : containerRows(c)) {
                sb.append("<tr><th>").append(html(row[0])).append("</th><td class=\"n\">").append(html(row[1])).append("</td></tr>\n");
            }
            sb.append("</table>\n");
        }
        sb.append("<h3>Findings</h3>\n");
        if (h.findings().isEmpty()) {
            sb.append("<p>No findings: the limits fit what this VM can give.</p>\n");
        } else {
            sb.append("<ul>\n");
            for (Finding x : h.findings()) {
                String sev = x.severity().label().toLowerCase(Locale.ROOT);
                sb.append("<li><span class=\"").append(html(sev)).append("\">").append(html(sev.toUpperCase(Locale.ROOT)))
                        .append("</span> · ").append(x.code()).append(x.container() == null ? "" : " · " + html(x.container()))
                        .append(": ").append(html(x.message()));
                if (x.recommendedLimitBytes() != null) {
                    sb.append(" Recommended <code>mem_limit</code>: <b>").append(gib(x.recommendedLimitBytes())).append("</b>");
                }
                sb.append("</li>\n");
            }
            sb.append("</ul>\n");
        }
        List<String> oom = HostSummary.oomTimeline(h);
        sb.append("<h3>OOM kills (").append(h.facts().oomEvents().size()).append(")</h3>\n");
        if (oom.isEmpty()) {
            sb.append("<p>No OOM kills in the kernel log.</p>\n");
        } else {
            sb.append("<pre>").append(html(String.join("\n", oom))).append("</pre>\n");
        }
        DeathTimeline t = deaths == null ? null : deaths.of(h.target());
        if (t != null) {
            deathsHtml(sb, deaths, t);
        }
        if (!h.errors().isEmpty()) {
            sb.append("<h3>Not readable</h3>\n<ul>\n");
            h.errors().forEach(e -> sb.append("<li>").append(html(e)).append("</li>\n"));
            sb.append("</ul>\n");
        }
    }

    private static void deathsHtml(StringBuilder sb, DeathReport deaths, DeathTimeline t) {
        sb.append("<h3>").append(deathsHeading(deaths, t)).append("</h3>\n");
        if (t.deaths().isEmpty()) {
            sb.append("<p>No worker died in this window.</p>\n");
        }
        for (WorkerDeath d : t.deaths()) {
            sb.append("<h4>").append(deathTitle(d, ReportEscaping::html)).append("</h4>\n<table>\n");
            for (String[] row : deathRows(d)) {
                sb.append("<tr><th>").append(html(row[0])).append("</th><td>").append(html(row[1])).append("</td></tr>\n");
            }
            sb.append("</table>\n<pre>").append(html(String.join("\n", d.evidence()))).append("</pre>\n");
        }
        List<String> notes = timelineNotes(t);
        if (!notes.isEmpty()) {
            sb.append("<ul>\n");
            notes.forEach(n -> sb.append("<li>").append(html(n)).append("</li>\n"));
            sb.append("</ul>\n");
        }
    }
}
