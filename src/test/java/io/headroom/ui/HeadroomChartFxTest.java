package io.headroom.ui;

import atlantafx.base.theme.PrimerLight;
import io.headroom.engine.FixtureRunners;
import io.headroom.engine.ScanEngine;
import io.headroom.engine.ScanOptions;
import javafx.application.Application;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.layout.StackPane;
import javafx.scene.shape.Line;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The chart's words never sit on its marks or on each other, at any width a window gives it (issue
 * 16: "limit 2.00 GiB · Dask 1.00 GiB" used to be drawn inside the bar, across the spill, pause and
 * restart marks). Real lab captures: two workers with short limits (s5), one without a limit (s1),
 * two on an overcommitted VM (s9), and s4, whose names are long.
 */
@ExtendWith(ApplicationExtension.class)
class HeadroomChartFxTest {
    private HeadroomChart chart;
    private StackPane root;

    @Start
    void start(Stage stage) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        chart = new HeadroomChart();
        root = new StackPane(chart);
        stage.setScene(new Scene(root, 1200, 500));
        stage.show();
    }

    private static HostDetailViewModel.Chart chartOf(String fixture) throws Exception {
        return new HostDetailViewModel(new ScanEngine(FixtureRunners.of(Map.of("vm", fixture)), "t").scanOne("vm", ScanOptions.DEFAULTS))
                .chart();
    }

    private static void collect(Node n, List<Text> texts, List<Line> marks) {
        if (n instanceof Text t && !t.getText().isEmpty() && t.isVisible()) {
            texts.add(t);
        } else if (n instanceof Line l && l.isVisible()) {
            marks.add(l);
        } else if (n instanceof javafx.scene.Parent p) {
            p.getChildrenUnmodifiable().forEach(c -> collect(c, texts, marks));
        }
    }

    @Test
    void noLabelOverlapsAMarkOrAnotherLabelAtAnyWidth(FxRobot robot) throws Exception {
        for (String fixture : List.of("/fixtures/lab/s5-unit-confusion.txt", "/fixtures/lab/s1-no-limit.txt",
                "/fixtures/lab/s9-overcommit.txt", "/fixtures/lab-v2/s4-reservation.txt", "/fixtures/lab-v2/s11-memory-limit-forms.txt")) {
            HostDetailViewModel.Chart c = chartOf(fixture);
            for (double width : new double[]{420, 640, 900, 1200}) {
                robot.interact(() -> {
                    chart.setChart(c);
                    chart.setMinWidth(width);
                    chart.setMaxWidth(width);
                    root.layout();
                });
                WaitForAsyncUtils.waitForFxEvents();
                List<Text> texts = new ArrayList<>();
                List<Line> marks = new ArrayList<>();
                robot.interact(() -> collect(chart, texts, marks));
                assertFalse(marks.isEmpty(), fixture + ": marks drawn");
                for (int i = 0; i < texts.size(); i++) {
                    Bounds a = bounds(texts.get(i));
                    assertTrue(a.getMaxX() <= width + 0.5, fixture + " @" + width + ": '" + texts.get(i).getText() + "' runs past the edge");
                    for (int j = i + 1; j < texts.size(); j++) {
                        if (overlap(a, bounds(texts.get(j)))) {
                            fail(fixture + " @" + width + ": '" + texts.get(i).getText() + "' overlaps '" + texts.get(j).getText() + "'");
                        }
                    }
                    for (Line m : marks) {
                        if (overlap(a, bounds(m))) {
                            fail(fixture + " @" + width + ": '" + texts.get(i).getText() + "' lies on a mark at x=" + m.getStartX());
                        }
                    }
                }
            }
        }
    }

    /** In the chart's own coordinates (the chart sits centred in the window). */
    private Bounds bounds(Node n) {
        return chart.sceneToLocal(n.localToScene(n.getBoundsInLocal()));
    }

    /** Overlap with some area (a pixel of anti-aliasing at an edge is not overlap). */
    private static boolean overlap(Bounds a, Bounds b) {
        double w = Math.min(a.getMaxX(), b.getMaxX()) - Math.max(a.getMinX(), b.getMinX());
        double h = Math.min(a.getMaxY(), b.getMaxY()) - Math.max(a.getMinY(), b.getMinY());
        return w > 1 && h > 1;
    }
}
