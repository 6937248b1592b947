package io.headroom.ui;

import atlantafx.base.theme.PrimerLight;
import io.headroom.engine.report.ReportWriter;
import io.headroom.model.HostReport;
import io.headroom.model.ScanReport;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.ToggleGroup;
import javafx.scene.image.ImageView;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Window;

import java.io.File;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * File → Export report…: a preview of the report (its Markdown text and the chart pictures), a
 * choice of format, then a file chooser. The text is built by {@link ReportWriter}; this class only
 * draws the charts (off-screen, always in the light theme so reports look alike) and hands them over.
 */
final class ReportDialog {
    /** Width of a chart picture in a report, in pixels. */
    static final double CHART_WIDTH = 1000;

    private ReportDialog() {
    }

    /** The dialog; its result is the chosen format, or empty when cancelled. */
    static Dialog<ReportWriter.Format> create(MainViewModel.ReportInput in, Map<String, WritableImage> charts) {
        Dialog<ReportWriter.Format> d = new Dialog<>();
        d.setTitle("Export report");
        d.setHeaderText("Report of " + in.report().hosts().size() + " host(s) — " + in.source());
        ToggleGroup group = new ToggleGroup();
        RadioButton md = new RadioButton("Markdown (.md, chart pictures as .png files beside it)");
        md.setId("formatMarkdown");
        RadioButton html = new RadioButton("HTML (one self-contained file, charts embedded)");
        html.setId("formatHtml");
        md.setToggleGroup(group);
        html.setToggleGroup(group);
        html.setSelected(true);
        TextArea text = new TextArea(MainViewModel.reportPreview(in));
        text.setId("reportPreview");
        text.setEditable(false);
        text.setWrapText(false);
        text.setStyle("-fx-font-family: monospace; -fx-font-size: 12px;");
        VBox pictures = new VBox(10);
        ScrollPane pictureScroll = new ScrollPane(pictures);
        pictures.setPadding(new Insets(6));
        for (var e : charts.entrySet()) {
            ImageView iv = new ImageView(e.getValue());
            iv.setPreserveRatio(true);
            iv.fitWidthProperty().bind(pictureScroll.widthProperty().subtract(30));
            Label l = new Label(e.getKey());
            l.getStyleClass().add("text-bold");
            pictures.getChildren().addAll(l, iv);
        }
        if (charts.isEmpty()) {
            pictures.getChildren().add(new Label("No host was scanned: no chart."));
        }
        pictureScroll.setId("reportCharts");
        pictureScroll.setFitToWidth(true);
        SplitPane split = new SplitPane(text, pictureScroll);
        split.setDividerPositions(0.45);
        split.setPrefSize(1080, 600);
        VBox.setVgrow(split, javafx.scene.layout.Priority.ALWAYS);
        Label note = new Label("Names and kernel lines read from the VMs are escaped: they cannot add markup to the report.");
        note.setStyle("-fx-text-fill: -color-fg-muted;");
        VBox content = new VBox(8, new HBox(16, md, html), split, note);
        d.getDialogPane().setContent(content);
        d.getDialogPane().setId("reportDialog");
        d.getDialogPane().setPrefSize(1120, 760);
        d.getDialogPane().setStyle("-fx-max-width: 1600px;"); // AtlantaFX caps dialogs at 600 px
        ButtonType save = new ButtonType("Save…", ButtonBar.ButtonData.OK_DONE);
        d.getDialogPane().getButtonTypes().setAll(ButtonType.CANCEL, save);
        d.setResizable(true);
        d.setResultConverter(b -> b == save ? (md.isSelected() ? ReportWriter.Format.MARKDOWN : ReportWriter.Format.HTML) : null);
        return d;
    }

    /** Shows the preview, asks where to save, and exports through the ViewModel (written off the UI thread). */
    static void run(Window owner, MainViewModel vm) {
        MainViewModel.ReportInput in = vm.reportInput();
        if (in == null) {
            vm.statusProperty().set("Nothing to export yet: scan or open a snapshot first.");
            return;
        }
        Map<String, WritableImage> charts = render(in.report());
        Dialog<ReportWriter.Format> d = create(in, charts);
        d.initOwner(owner);
        d.showAndWait().ifPresent(format -> {
            FileChooser fc = new FileChooser();
            fc.setTitle("Export report");
            boolean markdown = format == ReportWriter.Format.MARKDOWN;
            fc.setInitialFileName(markdown ? "headroom-report.md" : "headroom-report.html");
            fc.getExtensionFilters().add(markdown ? new FileChooser.ExtensionFilter("Markdown", "*.md")
                    : new FileChooser.ExtensionFilter("HTML", "*.html"));
            File f = fc.showSaveDialog(owner);
            if (f != null) {
                export(vm, in, f.toPath(), format, charts);
            }
        });
    }

    /** Exports with the given pictures; PNG encoding happens with the writing, off the UI thread. */
    static void export(MainViewModel vm, MainViewModel.ReportInput in, Path file, ReportWriter.Format format,
                       Map<String, WritableImage> charts) {
        vm.exportReport(in, file, format, () -> {
            Map<String, byte[]> png = new LinkedHashMap<>();
            for (var e : charts.entrySet()) {
                png.put(e.getKey(), PngWriter.encode(e.getValue()));
            }
            return png;
        });
    }

    /** Draws each scanned host's headroom chart off-screen (FX thread), in the light theme. */
    static Map<String, WritableImage> render(ScanReport r) {
        Map<String, WritableImage> out = new LinkedHashMap<>();
        for (HostReport h : r.hosts()) {
            if (!MainViewModel.hasChart(h) || out.containsKey(h.target())) {
                continue;
            }
            HeadroomChart chart = new HeadroomChart();
            chart.setChart(new HostDetailViewModel(h).chart());
            StackPane pane = new StackPane(chart);
            pane.setPadding(new Insets(10));
            pane.setStyle("-fx-background-color: -color-bg-default;");
            double height = chart.getPrefHeight() + 20;
            Scene scene = new Scene(pane, CHART_WIDTH, height);
            scene.getStylesheets().add(new PrimerLight().getUserAgentStylesheet());
            pane.applyCss();
            pane.layout();
            pane.applyCss();
            pane.layout();
            out.put(h.target(), pane.snapshot(null, null));
        }
        return out;
    }
}
