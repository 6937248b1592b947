package io.headroom.ui;

import io.headroom.engine.Redactor;
import io.headroom.engine.Snapshots;
import io.headroom.engine.report.ReportWriter;
import io.headroom.model.ScanReport;
import io.headroom.ui.MainViewModel.ChartPictures;
import io.headroom.ui.MainViewModel.ReportInput;
import javafx.beans.property.StringProperty;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The main window's scans as files: opening a snapshot or the demo bundled with the app, saving a
 * snapshot (optionally redacted) and exporting a report. Every file is read or written off the UI
 * thread through the {@link BackgroundExecutor}; the outcome is said on the status line.
 */
final class ScanFiles {
    /** The demo snapshot inside the jar (captured from the lab). */
    static final String DEMO_RESOURCE = "/io/headroom/demo/demo.headroom.json";

    private final BackgroundExecutor executor;
    private final StringProperty status;

    ScanFiles(BackgroundExecutor executor, StringProperty status) {
        this.executor = executor;
        this.status = status;
    }

    /** Reads a snapshot and hands it to {@code onRead} on the UI thread. */
    void openSnapshot(Path file, Consumer<ScanReport> onRead) {
        executor.submit(() -> Snapshots.read(file), onRead,
                e -> status.set("Cannot open " + file + ": " + e.getMessage()));
    }

    /** Reads the bundled demo snapshot and hands it to {@code onRead} on the UI thread. */
    void openDemo(Consumer<ScanReport> onRead) {
        executor.submit(() -> {
            try (InputStream in = ScanFiles.class.getResourceAsStream(DEMO_RESOURCE)) {
                if (in == null) {
                    throw new IOException("the demo snapshot is missing from this build");
                }
                return Snapshots.read(in, "demo");
            }
        }, onRead, e -> status.set("Cannot open the demo: " + e.getMessage()));
    }

    /**
     * Saves {@code r} as a snapshot, or says there is nothing to save when it is null; {@code redacted}:
     * hostnames, IP addresses and SSH users replaced by stable pseudonyms ({@link Redactor}), for sharing.
     */
    void saveSnapshot(ScanReport r, Path file, boolean redacted) {
        if (r == null) {
            status.set("Nothing to save yet: scan first.");
            return;
        }
        executor.submit(() -> {
            Snapshots.write(redacted ? Redactor.redact(r) : r, file);
            return file;
        }, f -> status.set("Saved " + (redacted ? "a redacted snapshot (hostnames, IPs and users replaced) to " : "") + f),
                e -> status.set("Cannot save " + file + ": " + e.getMessage()));
    }

    /** Writes a report (Markdown with the chart pictures beside it, or one HTML file); null {@code in}: nothing to export. */
    void exportReport(ReportInput in, Path file, ReportWriter.Format format, ChartPictures charts) {
        if (in == null) {
            status.set("Nothing to export yet: scan or open a snapshot first.");
            return;
        }
        executor.submit(() -> ReportWriter.write(in.report(), in.source(), charts.png(), format, file),
                files -> status.set("Exported the report to " + file + (files.size() > 1 ? " (+" + (files.size() - 1)
                        + " chart picture(s) beside it)" : "")),
                e -> status.set("Cannot export the report to " + file + ": " + e.getMessage()));
    }
}
