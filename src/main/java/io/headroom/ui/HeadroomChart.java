package io.headroom.ui;

import io.headroom.model.Bytes;
import javafx.geometry.VPos;
import javafx.scene.Node;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.shape.Line;
import javafx.scene.shape.Rectangle;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;

import java.util.ArrayList;
import java.util.List;

/**
 * The headroom chart: MemTotal is the full width; the zone beyond what the VM can give Dask (the
 * budget) is red; each Dask container's cgroup limit is a bar with its current usage inside and
 * Dask's spill / pause / terminate marks. A bar reaching into the red zone is a container the
 * kernel's OOM killer will meet before Dask reacts. Every element has a tooltip with exact bytes
 * and where the number was read.
 */
public final class HeadroomChart extends Region {
    private static final double LABEL_W = 170;
    private static final double ROW_H = 30;
    private static final double TOP = 44;
    private static final Color LIMIT = Color.web("#4c8bf5");
    private static final Color USAGE = Color.web("#1a4fb0");
    private static final Color DANGER = Color.web("#d1242f");
    private static final Color DANGER_ZONE = Color.web("#d1242f", 0.13);
    private static final Color AVAILABLE = Color.web("#2da44e", 0.35);
    private static final Color SPILL = Color.web("#bf8700");
    private static final Color PAUSE = Color.web("#e16f24");

    private HostDetailViewModel.Chart chart;
    private final Pane canvas = new Pane();

    public HeadroomChart() {
        getStyleClass().add("headroom-chart");
        getChildren().add(canvas);
        widthProperty().addListener((o, a, b) -> redraw());
        setMinHeight(120);
    }

    public void setChart(HostDetailViewModel.Chart chart) {
        this.chart = chart;
        // without Dask containers a sentence of up to four lines takes the place of the bars
        int rows = chart == null ? 0 : Math.max(chart.bars().isEmpty() ? 2 : 1, chart.bars().size());
        setPrefHeight(TOP + rows * ROW_H + 40);
        redraw();
    }

    @Override
    protected void layoutChildren() {
        canvas.resizeRelocate(0, 0, getWidth(), getHeight());
    }

    private void redraw() {
        List<Node> n = new ArrayList<>();
        double w = getWidth() - LABEL_W - 16;
        if (chart == null || w <= 50 || chart.memTotal().bytes() == null || chart.memTotal().bytes() <= 0) {
            canvas.getChildren().setAll(text(0, 20, chart == null ? "Not scanned." : "", false, Color.GRAY));
            return;
        }
        double total = chart.memTotal().bytes();
        double x0 = LABEL_W;
        int rows = Math.max(chart.bars().isEmpty() ? 2 : 1, chart.bars().size());
        double height = TOP + rows * ROW_H;
        // scale row: MemTotal, MemAvailable
        Rectangle scale = rect(x0, 8, w, 14, Color.web("#8c959f", 0.35), chart.memTotal());
        n.add(scale);
        double availW = w * Math.min(1, chart.memAvailable().bytes() / total);
        n.add(rect(x0 + w - availW, 8, availW, 14, AVAILABLE, chart.memAvailable()));
        n.add(text(0, 20, "MemTotal " + chart.memTotal().text(), true, null));
        n.add(text(x0 + w - availW + 4, 19, "MemAvailable " + chart.memAvailable().text(), false, null));
        // the zone beyond the budget
        Long budget = chart.budget().bytes();
        double bx = x0 + w * Math.min(1, (budget == null ? 0 : budget) / total);
        Rectangle zone = new Rectangle(bx, TOP - 8, x0 + w - bx, height - TOP + 10);
        zone.setFill(DANGER_ZONE);
        Tooltip.install(zone, new Tooltip("Beyond what the VM can give Dask: a container limit or a Dask restart point here"
                + " is reached only after the kernel's OOM killer has struck.\n" + chart.budget().tooltip()));
        n.add(zone);
        Line bl = new Line(bx, TOP - 12, bx, height + 2);
        bl.setStroke(DANGER);
        bl.setStrokeWidth(2);
        bl.getStrokeDashArray().setAll(6.0, 3.0);
        Tooltip.install(bl, new Tooltip(chart.budget().tooltip()));
        n.add(bl);
        Text bt = text(Math.min(bx + 4, x0 + w - 150), TOP - 14, "budget " + chart.budget().text(), true, DANGER);
        n.add(bt);
        if (chart.bars().isEmpty()) {
            Text none = text(x0, TOP + 16, chart.noDask(), false, null);
            none.setStyle("-fx-fill: -color-fg-muted;");
            none.setWrappingWidth(Math.max(260, bx - x0 - 16));
            none.setId("noDask");
            n.add(none);
            canvas.getChildren().setAll(n); // no bars: the legend would explain nothing
            return;
        }
        for (int i = 0; i < chart.bars().size(); i++) {
            HostDetailViewModel.Bar b = chart.bars().get(i);
            double y = TOP + i * ROW_H + 4;
            n.add(text(0, y + 15, b.name(), false, null));
            Long limit = b.limit().bytes();
            double lw = limit == null ? w : w * Math.min(1, limit / total);
            Rectangle lr = rect(x0, y, lw, ROW_H - 10, limit == null ? DANGER_ZONE : Color.web("#4c8bf5", 0.25), b.limit());
            lr.setStroke(limit == null ? DANGER : LIMIT);
            lr.setStrokeWidth(1.2);
            if (limit == null) {
                lr.getStrokeDashArray().setAll(4.0, 3.0);
            }
            n.add(lr);
            if (b.usage().bytes() != null) {
                n.add(rect(x0, y + 5, w * Math.min(1, b.usage().bytes() / total), ROW_H - 20, USAGE, b.usage()));
            }
            n.add(mark(x0 + w * Math.min(1, nz(b.spill()) / total), y, SPILL, "Dask spills to disk at " + human(b.spill())));
            n.add(mark(x0 + w * Math.min(1, nz(b.pause()) / total), y, PAUSE, "Dask pauses the worker at " + human(b.pause())));
            n.add(mark(x0 + w * Math.min(1, nz(b.terminate()) / total), y, DANGER,
                    (b.terminateNote() != null ? "Nanny restart: " + b.terminateNote()
                            : "The nanny restarts the worker at " + human(b.terminate())) + "\n" + b.daskLimit().tooltip()));
            String label = limit == null ? "no limit: Dask budget " + b.daskLimit().text() : "limit " + b.limit().text()
                    + " · Dask " + b.daskLimit().text();
            n.add(text(x0 + 6, y + 14, label, false, limit == null ? DANGER : null));
        }
        // legend
        double ly = height + 18;
        n.add(legend(x0, ly, Color.web("#4c8bf5", 0.4), "cgroup limit"));
        n.add(legend(x0 + 110, ly, USAGE, "usage"));
        n.add(legend(x0 + 180, ly, SPILL, "spill 70%"));
        n.add(legend(x0 + 265, ly, PAUSE, "pause 80%"));
        n.add(legend(x0 + 355, ly, DANGER, "restart 95%"));
        n.add(legend(x0 + 455, ly, DANGER_ZONE.deriveColor(0, 1, 1, 3), "beyond the budget: OOM killer"));
        canvas.getChildren().setAll(n);
    }

    private static double nz(Long v) {
        return v == null ? -1e18 : v;
    }

    private static String human(Long v) {
        return v == null ? "never (off)" : Bytes.human(v) + String.format(java.util.Locale.ROOT, " (%,d bytes)", v);
    }

    private static Rectangle rect(double x, double y, double w, double h, Color fill, HostDetailViewModel.Figure tip) {
        Rectangle r = new Rectangle(x, y, Math.max(0, w), h);
        r.setFill(fill);
        if (tip != null) {
            Tooltip.install(r, new Tooltip(tip.tooltip()));
        }
        return r;
    }

    private static Node mark(double x, double y, Color c, String tip) {
        Line l = new Line(x, y - 2, x, y + ROW_H - 8);
        l.setStroke(c);
        l.setStrokeWidth(3);
        l.setVisible(x > 0);
        Tooltip.install(l, new Tooltip(tip));
        return l;
    }

    private static Node legend(double x, double y, Color c, String label) {
        Rectangle r = new Rectangle(x, y - 9, 10, 10);
        r.setFill(c);
        Text t = text(x + 14, y, label, false, null);
        Pane p = new Pane(r, t);
        p.setMouseTransparent(true);
        return p;
    }

    private static Text text(double x, double y, String s, boolean bold, Color c) {
        Text t = new Text(x, y, s);
        t.setTextOrigin(VPos.BASELINE);
        t.setFont(Font.font(null, bold ? FontWeight.BOLD : FontWeight.NORMAL, 12));
        t.getStyleClass().add("chart-text");
        if (c != null) {
            t.setFill(c);
        } else {
            t.setStyle("-fx-fill: -color-fg-default;");
        }
        return t;
    }
}
