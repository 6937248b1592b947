package io.headroom.ui;

import atlantafx.base.theme.PrimerLight;
import io.headroom.engine.FixtureRunners;
import io.headroom.engine.ScanEngine;
import io.headroom.ssh.Prompter;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real window, headless (Monocle): scan local, open the demo, the host-key dialog. */
@ExtendWith(ApplicationExtension.class)
class MainViewFxTest {
    @TempDir
    static Path dir;
    private MainViewModel vm;

    @Start
    void start(Stage stage) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        vm = new MainViewModel(new ScanEngine(FixtureRunners.of(Map.of("local", "/fixtures/probe/podman-cgroup-v1-hybrid.txt")), "t"),
                new FxBackgroundExecutor(), dir.resolve("clusters.yaml"));
        stage.setScene(new Scene(new MainView(vm, d -> { }), 1280, 820));
        stage.show();
        vm.loadClusters();
    }

    @Test
    void scanLocalFillsOverviewAndDetail(FxRobot robot) throws Exception {
        robot.clickOn("#scan");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup("#status").queryAs(Label.class).getText().startsWith("Scanned"));
        WaitForAsyncUtils.waitForFxEvents();
        TableView<?> hosts = robot.lookup("#hosts").queryAs(TableView.class);
        assertEquals(1, hosts.getItems().size());
        assertTrue(robot.lookup("#readOnly").queryAs(Label.class).isVisible(), "read-only is always visible");
        assertTrue(robot.lookup("#hostTitle").queryAs(Label.class).getText().startsWith("local — host vm"));
        assertTrue(robot.lookup(n -> n instanceof Label l && l.getText() != null && l.getText().startsWith("CRITICAL · NO_LIMIT")).tryQuery().isPresent());
    }

    /** Each cell keeps one Tooltip (CellTooltips): its text follows the cell's, and a second scan reuses it. */
    @Test
    void cellsKeepOneTooltip(FxRobot robot) throws Exception {
        robot.clickOn("#scan");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup("#status").queryAs(Label.class).getText().startsWith("Scanned"));
        WaitForAsyncUtils.waitForFxEvents();
        HostStatusCell cell = robot.lookup(n -> n instanceof HostStatusCell c && c.getTooltip() != null).queryAs(HostStatusCell.class);
        javafx.scene.control.Tooltip tip = cell.getTooltip();
        assertEquals(cell.getText(), tip.getText());
        javafx.scene.control.Label probe = new javafx.scene.control.Label();
        javafx.scene.control.Tooltip own = new javafx.scene.control.Tooltip();
        CompletableFuture<String> checks = new CompletableFuture<>();
        Platform.runLater(() -> {
            CellTooltips.show(probe, own, "a");
            boolean first = probe.getTooltip() == own && "a".equals(own.getText());
            CellTooltips.show(probe, own, "b");
            boolean again = probe.getTooltip() == own && "b".equals(own.getText());
            CellTooltips.show(probe, own, null);
            checks.complete(first + " " + again + " " + (probe.getTooltip() == null));
        });
        assertEquals("true true true", checks.get(10, TimeUnit.SECONDS));
        javafx.scene.Node icon = cell.getGraphic();
        javafx.scene.Node bar = robot.lookup("#headroomBar").query();
        robot.clickOn("#scan");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !vm.scanningProperty().get()
                && robot.lookup("#status").queryAs(Label.class).getText().startsWith("Scanned"));
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup(n -> n instanceof HostStatusCell c && c.getTooltip() == tip).tryQuery().isPresent(),
                "the status cell's tooltip is the same object after another scan");
        // the cells move their nodes, they do not build new ones (docs/performance.md Round 9)
        HostStatusCell again = robot.lookup(n -> n instanceof HostStatusCell c && c.getTooltip() == tip).queryAs(HostStatusCell.class);
        assertTrue(again.getGraphic() == icon, "the status cell's icon is the same node after another scan");
        assertEquals(again.getItem() == HostRow.Status.OK || again.getItem() == HostRow.Status.INFO ? Feather.CHECK_CIRCLE
                : again.getItem() == HostRow.Status.WARNING ? Feather.ALERT_TRIANGLE
                : again.getItem() == HostRow.Status.INCOMPLETE ? Feather.EYE_OFF : Feather.ALERT_OCTAGON,
                ((FontIcon) icon).getIconCode(), "the icon shows the row's status " + again.getItem());
        assertTrue(robot.lookup("#headroomBar").queryAll().contains(bar), "the headroom bar is the same node after another scan");
        // the icon is drawn in its severity's colour after the theme's CSS is applied: AtlantaFX's
        // `.ikonli-font-icon { -fx-fill: -color-fg-default }` painted every status icon in the text colour
        Object fill = WaitForAsyncUtils.asyncFx(() -> {
            icon.applyCss();
            return ((FontIcon) icon).getFill();
        }).get(10, TimeUnit.SECONDS);
        HostStatusCell.Severity severity = HostStatusCell.Severity.of(again.getItem());
        Object expected = WaitForAsyncUtils.asyncFx(() -> {
            Label l = new Label();  // the theme's value of that looked-up colour
            l.setStyle("-fx-text-fill: " + severity.lookedUpColour() + ";");
            new Scene(new javafx.scene.layout.StackPane(l));
            l.applyCss();
            return l.getTextFill();
        }).get(10, TimeUnit.SECONDS);
        assertEquals(expected, fill, "the " + again.getItem() + " icon's colour is " + severity.lookedUpColour());
        assertTrue(!fill.equals(javafx.scene.paint.Color.web("#24292f")), "not the theme's text colour: " + fill);
        assertEquals("FeatherIcons", WaitForAsyncUtils.asyncFx(() -> ((FontIcon) icon).getFont().getFamily()).get(10, TimeUnit.SECONDS),
                "the glyph is drawn with Ikonli's Feather font (an inline style on the icon would replace it)");
    }

    @Test
    void demoIsMarked(FxRobot robot) throws Exception {
        robot.clickOn("#helpMenu").clickOn("Open demo cluster");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup("#source").queryAs(Label.class).isVisible());
        assertTrue(robot.lookup("#source").queryAs(Label.class).getText().startsWith("DEMO"));
        TableView<?> hosts = robot.lookup("#hosts").queryAs(TableView.class);
        assertTrue(hosts.getItems().size() >= 2);
    }

    @Test
    void hostKeyDialogShowsTheFingerprint(FxRobot robot) throws Exception {
        CompletableFuture<Prompter.HostKeyDecision> answer = new CompletableFuture<>();
        Platform.runLater(() -> {
            var d = FxPrompter.hostKeyDialog("[10.0.0.7]:22", "ssh-ed25519", "SHA256:abcDEF123");
            d.show();
            d.setOnHidden(e -> answer.complete(d.getResult()));
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup("#fingerprint").queryAs(Label.class).getText().contains("SHA256:abcDEF123"));
        robot.clickOn("Accept once");
        assertEquals(Prompter.HostKeyDecision.ACCEPT_ONCE, answer.get(10, TimeUnit.SECONDS));
    }

    /** Issue 23: at the default window size the overview's columns fit (no horizontal scroll bar, none cut). */
    @Test
    void theOverviewFitsTheDefaultWindow(FxRobot robot) throws Exception {
        robot.clickOn("#helpMenu").clickOn("Open demo cluster");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup("#source").queryAs(Label.class).isVisible());
        WaitForAsyncUtils.waitForFxEvents();
        TableView<?> hosts = robot.lookup("#hosts").queryAs(TableView.class);
        double columns = 0;
        for (var c : hosts.getColumns()) {
            assertTrue(c.getWidth() >= c.getMinWidth() - 0.5, c.getText() + " is " + c.getWidth() + " px, below its minimum " + c.getMinWidth());
            columns += c.getWidth();
        }
        assertTrue(columns <= hosts.getWidth(), "the columns (" + columns + " px) are wider than the table (" + hosts.getWidth() + " px)");
        for (var n : hosts.lookupAll(".scroll-bar")) {
            if (n instanceof javafx.scene.control.ScrollBar bar && bar.getOrientation() == javafx.geometry.Orientation.HORIZONTAL) {
                assertTrue(!bar.isVisible(), "a horizontal scroll bar is shown under the overview");
            }
        }
    }
}
