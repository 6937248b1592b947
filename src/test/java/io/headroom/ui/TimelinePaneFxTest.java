package io.headroom.ui;

import atlantafx.base.theme.PrimerLight;
import io.headroom.engine.FixtureRunners;
import io.headroom.engine.ScanEngine;
import io.headroom.model.DeathCause;
import io.headroom.model.ScanReport;
import javafx.application.Application;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TabPane;
import javafx.scene.shape.Polygon;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real window, headless (Monocle): a live host whose deaths are the issue-20 lab's real ones ({@link DeathLab}),
 * read on a background thread when the Deaths tab is opened; the marks lie inside the axis and clear of every
 * label; a click on the kernel's kill shows its evidence, and the fix wizard starts from it.
 */
@ExtendWith(ApplicationExtension.class)
class TimelinePaneFxTest {
    @TempDir
    static Path dir;
    private MainViewModel vm;
    private final AtomicInteger reads = new AtomicInteger();
    static final java.time.Instant READ_AT = java.time.Instant.parse("2026-12-06T00:00:00Z");

    @Start
    void start(Stage stage) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        vm = new MainViewModel(new ScanEngine(FixtureRunners.of(Map.of()), "t"), new FxBackgroundExecutor(), dir.resolve("clusters.yaml"));
        vm.clock(java.time.Clock.fixed(READ_AT, java.time.ZoneOffset.UTC)); // the day the lab's deaths were captured
        vm.enableDeaths((h, since) -> {
            reads.incrementAndGet();
            assertEquals(READ_AT.minus(java.time.Duration.ofHours(24)), since);
            return DeathLab.timeline(h);
        });
        stage.setScene(new Scene(new MainView(vm, d -> { }), 1280, 820));
        stage.show();
        vm.show(new ScanReport("t", System.currentTimeMillis(), List.of(DeathLab.report())), MainViewModel.Source.LIVE, "");
    }

    private TimelinePane openDeaths(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(0, reads.get(), "nothing is read before the tab is opened");
        Node header = robot.lookup(".tab").match(n -> n.lookup(".tab-label") instanceof Label l && l.getText().equals("Deaths"))
                .query();
        robot.clickOn(header);
        TimelinePane pane = robot.lookup("#timelinePane").queryAs(TimelinePane.class);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> pane.model() != null
                && pane.model().stateProperty().get() == TimelineViewModel.State.LOADED);
        WaitForAsyncUtils.waitForFxEvents();
        return pane;
    }

    @Test
    void marksLieInsideTheAxisAndClearOfTheLabels(FxRobot robot) throws Exception {
        TimelinePane pane = openDeaths(robot);
        assertEquals(1, reads.get());
        assertTrue(robot.lookup("#timelineMessage").queryAs(Label.class).getText().startsWith("6 deaths since "));
        TimelinePane.Chart chart = pane.chart();
        List<Polygon> marks = chart.markNodes();
        assertEquals(8, marks.size(), "6 deaths, 1 pause, 1 unmanaged-memory warning");
        List<Label> rowLabels = chart.rowLabels();
        assertEquals(List.of(DeathLab.FAST_NAME, DeathLab.SLOW_NAME, "f1e5d9bbea86", "dd690d680018", "f50c1aa5ad4e", "98243c7c0c07"),
                rowLabels.stream().map(Label::getText).toList());
        List<Label> ticks = chart.visibleTickLabels();
        assertTrue(ticks.size() >= 3, "the axis has labelled times: " + ticks.size());
        double rowsBottom = rowLabels.size() * TimelinePane.Chart.ROW;
        for (Polygon m : marks) {
            Bounds b = m.getBoundsInParent();
            assertTrue(b.getMinX() >= chart.axisLeft() - 0.5 && b.getMaxX() <= chart.axisRight() + 0.5,
                    m.getId() + " inside the axis horizontally: " + b + " vs " + chart.axisLeft() + ".." + chart.axisRight());
            assertTrue(b.getMinY() >= 0 && b.getMaxY() <= rowsBottom, m.getId() + " inside the rows: " + b);
            for (Label l : rowLabels) {
                assertFalse(b.intersects(l.getBoundsInParent()), m.getId() + " overlaps row label " + l.getText());
            }
            for (Label l : ticks) {
                assertFalse(b.intersects(l.getBoundsInParent()), m.getId() + " overlaps tick label " + l.getText());
            }
        }
        for (int i = 1; i < ticks.size(); i++) {
            assertTrue(ticks.get(i).getBoundsInParent().getMinX() > ticks.get(i - 1).getBoundsInParent().getMaxX(),
                    "tick labels do not overlap");
        }
        // live mode's history of the fast worker, drawn behind its marks; the refresh redraws, never reads
        long base = java.time.Instant.parse("2026-12-05T23:00:00Z").toEpochMilli();
        robot.interact(() -> {
            for (int i = 0; i < 30; i++) {
                vm.addSample("local", DeathLab.FAST_NAME, new MainViewModel.Sample(base + i * 60_000L, (60 + 6 * i) * DeathLab.MIB));
                vm.addSample("local", "MemAvailable", new MainViewModel.Sample(base + i * 60_000L, 5 * DeathLab.GIB));
            }
            vm.selectedHostProperty().set(null);
            vm.selectedHostProperty().set(vm.hosts().get(0));
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1, reads.get(), "a refresh redraws the timeline, never reads the deaths again");
        TimelinePane.Chart redrawn = robot.lookup("#timelinePane").queryAs(TimelinePane.class).chart();
        assertEquals("VM · MemAvailable", redrawn.rowLabels().get(0).getText());
        javafx.scene.shape.Polyline usage = redrawn.usageLine(1);
        assertEquals(30, usage.getPoints().size() / 2);
        for (int i = 0; i < usage.getPoints().size(); i += 2) {
            double x = usage.getPoints().get(i);
            double y = usage.getPoints().get(i + 1);
            assertTrue(x >= redrawn.axisLeft() && x <= redrawn.axisRight(), "usage inside the axis: " + x);
            assertTrue(y >= TimelinePane.Chart.ROW && y <= 2 * TimelinePane.Chart.ROW, "usage inside its row: " + y);
        }
    }

    @Test
    void clickingTheKernelsKillShowsItsEvidenceAndStartsTheWizardFromIt(FxRobot robot) throws Exception {
        TimelinePane pane = openDeaths(robot);
        TimelineViewModel.Mark kill = pane.model().rowsProperty().get().get(0).marks().get(0);
        assertEquals(DeathCause.KERNEL_OOM_CONTAINER, kill.death().cause());
        Polygon node = pane.chart().node(kill);
        assertNotNull(node);
        robot.clickOn(node);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("2026-12-05T23:42:07.624047Z  KERNEL_OOM_CONTAINER  i20-deaths_worker-fast_1  pid 10 in the container"
                + "  pid 7879 on the host", robot.lookup("#deathHead").queryAs(Label.class).getText());
        String evidence = robot.lookup("#deathEvidence").queryAs(TextFlow.class).getChildren().stream()
                .map(t -> ((Text) t).getText()).collect(Collectors.joining());
        for (String line : kill.death().evidence()) {
            assertTrue(evidence.contains("| " + line), "evidence line shown: " + line);
        }
        assertEquals("Fix: " + kill.death().fix(), robot.lookup("#deathFix").queryAs(Label.class).getText());
        assertEquals("limit 256.0 MiB, Dask's budget 256.0 MiB", robot.lookup("#deathFigures").queryAs(Label.class).getText());

        robot.clickOn("#fixFromDeath");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#fixOrigin").tryQuery().isPresent());
        Label origin = robot.lookup("#fixOrigin").queryAs(Label.class);
        assertTrue(origin.getText().startsWith("Started from the death of i20-deaths_worker-fast_1"), origin.getText());
        @SuppressWarnings("unchecked")
        ComboBox<WhatIfViewModel.Choice> container = robot.lookup("#whatIfContainer").queryAs(ComboBox.class);
        assertEquals(DeathLab.FAST_NAME, container.getValue().container().facts().name());
        Window wizard = origin.getScene().getWindow();
        robot.interact(wizard::hide);
    }

    @Test
    void anErrorIsShownAndTheButtonReadsAgain(FxRobot robot) throws Exception {
        robot.interact(() -> {
            vm.enableDeaths((h, since) -> {
                reads.incrementAndGet();
                throw new java.io.IOException("ssh: connect to host vm1 port 22: Connection refused");
            });
            vm.show(new ScanReport("t", System.currentTimeMillis(), List.of(DeathLab.report())), MainViewModel.Source.LIVE, "");
        });
        WaitForAsyncUtils.waitForFxEvents();
        Node header = robot.lookup(".tab").match(n -> n.lookup(".tab-label") instanceof Label l && l.getText().equals("Deaths")).query();
        robot.clickOn(header);
        TimelinePane pane = robot.lookup("#timelinePane").queryAs(TimelinePane.class);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> pane.model().stateProperty().get() == TimelineViewModel.State.ERROR);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("Could not read the deaths of local: ssh: connect to host vm1 port 22: Connection refused",
                robot.lookup("#timelineMessage").queryAs(Label.class).getText());
        assertFalse(pane.chart().isVisible());
        robot.clickOn("#lookForDeaths");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> reads.get() == 2);
        assertTrue(robot.lookup("#detailTabs").queryAs(TabPane.class).getSelectionModel().getSelectedItem().getText().equals("Deaths"));
    }
}
