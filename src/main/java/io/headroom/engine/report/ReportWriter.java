package io.headroom.engine.report;

import io.headroom.model.DeathReport;
import io.headroom.model.HostReport;
import io.headroom.model.ScanReport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A scan (or snapshot) as a report for people: Markdown with the chart pictures in files next to it,
 * or one self-contained HTML file with the pictures embedded as {@code data:} URIs. Every string that
 * came from a VM (names, kernel lines, messages quoting them) is escaped for the format, so a hostile
 * container name cannot inject markup or script. Sizes are in GiB with the exact bytes.
 *
 * <p>This class chooses the format and writes the files (atomically); {@link MarkdownReport} and
 * {@link HtmlReport} render, {@link ReportContent} holds what both say and {@link ReportEscaping} the escaping.
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
        return write(report, null, source, charts, format, out);
    }

    /**
     * Writes the report with each host's deaths (issue 20) when {@code deaths} is not null.
     *
     * @param deaths the deaths of the same VMs (a snapshot saved by {@code headroom deaths --snapshot}), or null
     */
    public static List<Path> write(ScanReport report, DeathReport deaths, String source, Map<String, byte[]> charts,
                                   Format format, Path out) throws IOException {
        List<Path> written = new ArrayList<>();
        Path dir = out.toAbsolutePath().getParent();
        String text;
        if (format == Format.MARKDOWN) {
            Map<String, String> names = chartFileNames(report, out.getFileName().toString(), charts.keySet());
            text = MarkdownReport.render(report, source, names, deaths);
            written.add(out);
            for (var e : names.entrySet()) {
                Path png = dir.resolve(e.getValue());
                atomicWrite(png, charts.get(e.getKey()));
                written.add(png);
            }
        } else {
            text = HtmlReport.render(report, source, charts, deaths);
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

    /** The report as Markdown; {@code chartFiles} maps a target to its chart picture's relative file name. */
    public static String markdown(ScanReport report, String source, Map<String, String> chartFiles) {
        return MarkdownReport.render(report, source, chartFiles, null);
    }

    /** The report as one self-contained HTML page; charts are PNG bytes by target, embedded as data URIs. */
    public static String html(ScanReport report, String source, Map<String, byte[]> charts) {
        return HtmlReport.render(report, source, charts, null);
    }
}
