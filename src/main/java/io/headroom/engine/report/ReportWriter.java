package io.headroom.engine.report;

import io.headroom.model.Bytes;
import io.headroom.model.Finding;
import io.headroom.model.HostFacts;
import io.headroom.model.HostReport;
import io.headroom.model.ScanReport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A scan (or snapshot) as a report for people: Markdown with the chart pictures in files next to it,
 * or one self-contained HTML file with the pictures embedded as {@code data:} URIs. Every string that
 * came from a VM (names, kernel lines, messages quoting them) is escaped for the format, so a hostile
 * container name cannot inject markup or script. Sizes are in GiB with the exact bytes.
 */
public final class ReportWriter {
    /** The output format. */
    public enum Format {
        MARKDOWN, HTML;

        /** From a CLI word ({@code md}, {@code markdown}, {@code html}). */
        public static Format of(String word) {
            return switch (word.toLowerCase(Locale.ROOT)) {
                case "md", "markdown" -> MARKDOWN;
                case "html", "htm" -> HTML;
                default -> throw new IllegalArgumentException("unknown report format '" + word + "' (md or html)");
            };
        }

        /** From a file name's extension; HTML unless it ends in .md or .markdown. */
        public static Format ofFile(Path file) {
            String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
            return n.endsWith(".md") || n.endsWith(".markdown") ? MARKDOWN : HTML;
        }
    }

    private ReportWriter() {
    }

    /**
     * Writes the report; for Markdown also one PNG per host with a chart, next to the file.
     *
     * @param source a line saying where the data comes from (live scan, snapshot file, demo)
     * @param charts PNG bytes of the headroom chart by target (hosts without one get none)
     * @return every file written, the report first
     */
    public static List<Path> write(ScanReport report, String source, Map<String, byte[]> charts, Format format, Path out)
            throws IOException {
        List<Path> written = new ArrayList<>();
        Path dir = out.toAbsolutePath().getParent();
        String text;
        if (format == Format.MARKDOWN) {
            Map<String, String> names = chartFileNames(report, out.getFileName().toString(), charts.keySet());
            text = markdown(report, source, names);
            written.add(out);
            for (var e : names.entrySet()) {
                Path png = dir.resolve(e.getValue());
                atomicWrite(png, charts.get(e.getKey()));
                written.add(png);
            }
        } else {
            text = html(report, source, charts);
            written.add(out);
        }
        atomicWrite(out, text.getBytes(StandardCharsets.UTF_8));
        return written;
    }

    private static void atomicWrite(Path file, byte[] bytes) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".headroom-report", ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** {@code report-chart-1-vm-a.png}: only letters, digits, dot, dash and underscore. */
    public static Map<String, String> chartFileNames(ScanReport report, String reportFileName, java.util.Set<String> withChart) {
        String base = reportFileName.replaceFirst("(?i)\\.(md|markdown)$", "");
        Map<String, String> names = new LinkedHashMap<>();
        int i = 0;
        for (HostReport h : report.hosts()) {
            i++;
            if (withChart.contains(h.target()) && !names.containsKey(h.target())) {
                String safe = h.target().replaceAll("[^A-Za-z0-9._-]", "_");
                names.put(h.target(), safe(base) + "-chart-" + i + "-" + (safe.length() > 40 ? safe.substring(0, 40) : safe) + ".png");
            }
        }
        return names;
    }

    private static String safe(String s) {
        String t = s.replaceAll("[^A-Za-z0-9._-]", "_");
        return t.startsWith(".") ? "_" + t.substring(1) : t;
    }

    // ------------------------------------------------------------------ Markdown

    /** The report as Markdown; {@code chartFiles} maps a target to its chart picture's relative file name. */
    public static String markdown(ScanReport report, String source, Map<String, String> chartFiles) {
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
            hostMarkdown(sb, h, chartFiles.get(h.target()));
        }
        return sb.toString();
    }

    private static void hostMarkdown(StringBuilder sb, HostReport h, String chartFile) {
        sb.append("\n## ").append(md(h.target())).append("\n\n");
        if (!h.scanned()) {
            sb.append("**Not scanned.**\n\n");
            h.errors().forEach(e -> sb.append("- ").append(md(e)).append('\n'));
            return;
        }
        HostFacts f = h.facts();
        HostSummary s = HostSummary.of(h);
        sb.append(hostLine(h, ReportWriter::md)).append("\n\n");
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
            String body = String.join("\n", oom.stream().map(ReportWriter::clean).toList());
            String fence = "`".repeat(Math.max(3, longestRun(body, '`') + 1));
            sb.append(fence).append('\n').append(body).append('\n').append(fence).append('\n');
        }
        if (!h.errors().isEmpty()) {
            sb.append("\n### Not readable\n\n");
            h.errors().forEach(e -> sb.append("- ").append(md(e)).append('\n'));
        }
    }

    // ------------------------------------------------------------------ HTML

    /** The report as one self-contained HTML page; charts are PNG bytes by target, embedded as data URIs. */
    public static String html(ScanReport report, String source, Map<String, byte[]> charts) {
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
            hostHtml(sb, h, ++i, charts.get(h.target()));
        }
        sb.append("</body>\n</html>\n");
        return sb.toString();
    }

    private static void hostHtml(StringBuilder sb, HostReport h, int index, byte[] chart) {
        sb.append("<h2 id=\"host-").append(index).append("\">").append(html(h.target())).append("</h2>\n");
        if (!h.scanned()) {
            sb.append("<p><b>Not scanned.</b></p>\n<ul>\n");
            h.errors().forEach(e -> sb.append("<li>").append(html(e)).append("</li>\n"));
            sb.append("</ul>\n");
            return;
        }
        HostFacts f = h.facts();
        HostSummary s = HostSummary.of(h);
        sb.append("<p>").append(hostLine(h, ReportWriter::html)).append("</p>\n");
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
        if (!h.errors().isEmpty()) {
            sb.append("<h3>Not readable</h3>\n<ul>\n");
            h.errors().forEach(e -> sb.append("<li>").append(html(e)).append("</li>\n"));
            sb.append("</ul>\n");
        }
    }

    // ------------------------------------------------------------------ shared content

    private static String hostLine(HostReport h, java.util.function.UnaryOperator<String> esc) {
        HostFacts f = h.facts();
        return "Host " + esc.apply(f.hostname()) + ", kernel " + esc.apply(f.kernelRelease()) + ", cgroup "
                + f.cgroupMode().name().toLowerCase(Locale.ROOT) + ", " + f.cpuCount() + " CPUs, " + h.daskContainers().size()
                + " Dask container(s), scanned in " + h.scanMillis() + " ms.";
    }

    private static String status(HostReport h) {
        if (!h.scanned()) {
            return "UNREACHABLE";
        }
        String s = h.status();
        return s.equals("ok") ? s : s.toUpperCase(Locale.ROOT);
    }

    private static String limitsText(HostReport h, HostSummary s) {
        return h.daskContainers().isEmpty() ? "no Dask" : s.anyUnlimited() ? "unlimited" : gib(s.daskLimitsSum());
    }

    /** Figure name and value: built from numbers only, nothing remote, so written unescaped in Markdown. */
    private static List<String[]> hostRows(HostReport h, HostSummary s) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"MemTotal", gib(s.memTotal())});
        rows.add(new String[] {"MemAvailable", gib(s.memAvailable())});
        rows.add(new String[] {"Reserve (OS and agents)", gib(s.reserve())});
        rows.add(new String[] {"Budget for Dask", gib(s.budget())});
        rows.add(new String[] {"Σ Dask cgroup limits", h.daskContainers().isEmpty() ? "no Dask containers"
                : s.anyUnlimited() ? "unlimited (a container has no limit); limited ones: " + gib(s.daskLimitsSum()) : gib(s.daskLimitsSum())});
        return rows;
    }

    private static List<String[]> containerRows(ContainerFigures c) {
        var t = c.thresholds();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"cgroup limit", c.limit() == null ? "unlimited (no cgroup limit)" : gib(c.limit())});
        rows.add(new String[] {"usage", gib(c.usage())});
        if (c.peak() != null) {
            rows.add(new String[] {"peak usage", gib(c.peak())});
        }
        rows.add(new String[] {"Dask memory limit (" + c.workers() + " worker" + (c.workers() == 1 ? "" : "s") + ")",
                c.daskLimitNote() != null ? c.daskLimitNote()
                        : c.daskLimit() == null ? "none: Dask never spills, pauses or restarts by memory" : gib(c.daskLimit())});
        rows.add(new String[] {"spill at " + pct(t.spill()), threshold(c.spill())});
        rows.add(new String[] {"pause at " + pct(t.pause()), threshold(c.pause())});
        rows.add(new String[] {"terminate (nanny restart) at " + pct(t.terminate()),
                c.terminateNote() != null ? c.terminateNote() : threshold(c.terminate())});
        if (c.reported() != null) {
            rows.add(new String[] {"limit reported by the scheduler", gib(c.reported())});
        }
        rows.add(new String[] {"OOM kills (cgroup counter)", c.oomKills() == null ? "unknown" : c.oomKills().toString()});
        return rows;
    }

    private static String pct(Double f) {
        return f == null ? "(off)" : String.format(Locale.ROOT, "%.0f%%", f * 100);
    }

    private static String threshold(Long v) {
        return v == null ? "never (off or no Dask limit)" : gib(v);
    }

    /** {@code 2.00 GiB (2,147,483,648 bytes)}; "unknown" for null. */
    static String gib(Long bytes) {
        if (bytes == null) {
            return "unknown";
        }
        return String.format(Locale.ROOT, "%.2f GiB (%,d bytes)", bytes / (double) Bytes.GIB, bytes);
    }

    // ------------------------------------------------------------------ escaping

    /** Control characters and bidi overrides replaced by U+FFFD, newlines kept only when asked. */
    static String clean(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            boolean control = (cp < 0x20 && cp != '\t' && cp != '\n') || (cp >= 0x7f && cp < 0xa0)
                    || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029;
            b.appendCodePoint(control ? 0xfffd : cp);
        });
        return b.toString();
    }

    /**
     * Inline Markdown text: one line, HTML special characters as entities (Markdown passes raw HTML
     * through), Markdown punctuation backslash-escaped so nothing becomes a link, image, emphasis,
     * code span or table cell break.
     */
    static String md(String s) {
        String one = clean(s).replace('\n', ' ').replace('\t', ' ');
        StringBuilder b = new StringBuilder(one.length() + 16);
        for (int i = 0; i < one.length(); i++) {
            char c = one.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '\\', '`', '*', '_', '[', ']', '|', '~', '#' -> b.append('\\').append(c);
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** HTML text or attribute value (double- or single-quoted). */
    static String html(String s) {
        String t = clean(s);
        StringBuilder b = new StringBuilder(t.length() + 16);
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static int longestRun(String s, char c) {
        int best = 0;
        int run = 0;
        for (int i = 0; i < s.length(); i++) {
            run = s.charAt(i) == c ? run + 1 : 0;
            best = Math.max(best, run);
        }
        return best;
    }
}
