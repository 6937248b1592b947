package io.headroom.ui;

import atlantafx.base.theme.PrimerLight;
import io.headroom.engine.FixtureRunners;
import io.headroom.engine.ScanEngine;
import io.headroom.engine.ScanListener;
import io.headroom.engine.ScanOptions;
import io.headroom.engine.Snapshots;
import io.headroom.engine.report.ReportWriter;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Headless: open a snapshot, export a report with the chart pictures, live sparklines per container, sorting by bytes. */
@ExtendWith(ApplicationExtension.class)
class ReportAndSnapshotFxTest {
    private static final String V1 = "/fixtures/probe/podman-cgroup-v1-hybrid.txt";
    @TempDir
    static Path dir;
    private MainViewModel vm;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        vm = new MainViewModel(new ScanEngine(FixtureRunners.of(Map.of("local", V1)), "t"), new FxBackgroundExecutor(),
                dir.resolve("clusters.yaml"));
        stage.setScene(new Scene(new MainView(vm, d -> { }), 1280, 820));
        stage.setTitle(MainViewModel.TITLE);
        stage.show();
    }

    private static void fx(Runnable r) throws Exception {
        WaitForAsyncUtils.asyncFx(r).get(20, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void openSnapshotShowsItsRowsAndSaysWhichFileOffline(FxRobot robot) throws Exception {
        var report = new ScanEngine(FixtureRunners.of(Map.of("vm-a", V1, "vm-b", V1)), "t")
                .scan(List.of("vm-a", "vm-b", "vm-gone"), ScanOptions.DEFAULTS, new ScanListener() { });
        Path file = dir.resolve("prod-0600.headroom.json");
        Snapshots.write(report, file);
        fx(() -> vm.openSnapshot(file));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup("#source").queryAs(Label.class).isVisible());
        assertEquals("SNAPSHOT prod-0600.headroom.json", robot.lookup("#source").queryAs(Label.class).getText());
        assertEquals("Headroom — prod-0600.headroom.json (snapshot, offline) — " + file.toAbsolutePath(), stage.getTitle());
        TableView<HostRow> hosts = robot.lookup("#hosts").queryTableView();
        assertEquals(List.of("vm-a", "vm-b", "vm-gone"), hosts.getItems().stream().map(HostRow::target).toList());
        assertEquals(HostRow.Status.UNREACHABLE, hosts.getItems().get(2).statusProperty().get());
        assertTrue(robot.lookup("#status").queryAs(Label.class).getText().startsWith("Showing 3 host(s) scanned at "));
        assertTrue(robot.lookup("#hostTitle").queryAs(Label.class).getText().startsWith("vm-a — host vm"));
        // a scan leaves the offline view: the title goes back
        robot.clickOn("#scan");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup("#status").queryAs(Label.class).getText().startsWith("Scanned"));
        assertEquals(MainViewModel.TITLE, stage.getTitle());
        assertTrue(!robot.lookup("#source").queryAs(Label.class).isVisible());
    }

    @Test
    void exportReportPreviewsThenWritesChartsAsPictures(FxRobot robot) throws Exception {
        fx(vm::openDemo);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> vm.sourceProperty().get() == MainViewModel.Source.DEMO);
        robot.clickOn("#fileMenu").clickOn("Export report…");
        WaitForAsyncUtils.waitForFxEvents();
        String preview = robot.lookup("#reportPreview").queryAs(TextArea.class).getText();
        assertTrue(preview.startsWith("# Headroom report\n\n- Source: demo cluster bundled with Headroom"), preview);
        assertTrue(preview.contains("## vm-s9-overcommit"), preview);
        assertTrue(java.util.regex.Pattern.compile("!\\[headroom chart of vm-s9-overcommit]\\(headroom-report-chart-\\d+-vm-s9-overcommit\\.png\\)")
                .matcher(preview).find(), preview);
        robot.clickOn("Cancel");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup("#reportPreview").tryQuery().isEmpty(), "cancel closes the preview and writes nothing");

        Path md = dir.resolve("demo.md");
        fx(() -> ReportDialog.export(vm, vm.reportInput(), md, ReportWriter.Format.MARKDOWN, ReportDialog.render(vm.lastReportProperty().get())));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> vm.statusProperty().get().startsWith("Exported"));
        assertEquals("Exported the report to " + md + " (+13 chart picture(s) beside it)", vm.statusProperty().get());
        Path png = dir.resolve("demo-chart-13-vm-s9-overcommit.png");
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(png)));
        assertEquals((int) ReportDialog.CHART_WIDTH, img.getWidth());
        assertTrue(img.getHeight() > 150, "three container rows and the legend: " + img.getHeight());
        assertTrue(hasReddish(img), "the zone beyond the budget is drawn");
        assertTrue(Files.readString(md).contains("![headroom chart of vm-s9-overcommit](demo-chart-13-vm-s9-overcommit.png)"));
    }

    private static boolean hasReddish(BufferedImage img) {
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                int rgb = img.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (r > 200 && g < 80 && b < 80) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void liveModeDrawsASparklinePerDaskContainer(FxRobot robot) throws Exception {
        fx(() -> vm.liveProperty().set(true));
        for (int i = 0; i < 3; i++) {
            fx(vm::liveTick);
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !vm.scanningProperty().get()
                    && vm.statusProperty().get().startsWith("Scanned"));
            WaitForAsyncUtils.waitForFxEvents();
        }
        assertEquals(3, vm.usageHistory("local", "hr-basic_worker_1").size());
        Sparkline worker = robot.lookup("#spark-hr-basic_worker_1").queryAs(Sparkline.class);
        assertEquals(3, worker.points());
        assertTrue(robot.lookup("#spark-MemAvailable").tryQuery().isPresent());
        assertTrue(robot.lookup(n -> n instanceof Label l && l.getText() != null
                && l.getText().startsWith("usage ") && l.getText().contains("of limit 2.00 GiB")).tryQuery().isPresent());
    }

    @Test
    void sizeColumnsSortByBytes(FxRobot robot) throws Exception {
        fx(vm::openDemo);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> vm.sourceProperty().get() == MainViewModel.Source.DEMO);
        TableView<HostRow> hosts = robot.lookup("#hosts").queryTableView();
        @SuppressWarnings("unchecked")
        TableColumn<HostRow, Long> avail = (TableColumn<HostRow, Long>) hosts.getColumns().stream()
                .filter(c -> "memAvailableColumn".equals(c.getId())).findFirst().orElseThrow();
        fx(() -> {
            avail.setSortType(TableColumn.SortType.ASCENDING);
            hosts.getSortOrder().setAll(List.of(avail));
        });
        List<Long> shown = hosts.getItems().stream().map(r -> r.memAvailableProperty().get()).toList();
        assertEquals(shown.stream().sorted().toList(), shown);
        assertTrue(shown.stream().distinct().count() > 3, "the demo's hosts differ: " + shown);
    }
}
