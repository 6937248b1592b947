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
    /** A row: the bar, then its label on a line of its own (a label inside the bar met the marks). */
    private static final double ROW_H = 44;
    private static final double BAR_H = 20;
    private static final double TOP = 44;
    private static final double LEGEND_LINE = 18;
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
        setPrefHeight(TOP + rows * ROW_H + LEGEND_LINE + 12);
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
        String availText = "MemAvailable " + chart.memAvailable().text();
        n.add(text(clamp(x0 + w - availW + 4, x0, x0 + w - width(availText, false)), 19, availText, false, null));
        // the zone beyond the budget
        Long budget = chart.budget().bytes();
        double bx = x0 + w * Math.min(1, (budget == null ? 0 : budget) / total);
        Rectangle zone = new Rectangle(bx, TOP - 8, x0 + w - bx, height - TOP + 10);
        zone.setFill(DANGER_ZONE);
        Tooltip.install(zone, new Tooltip("Beyond what the VM can give Dask: a container limit or a Dask restart point here"
                + " is reached only after the kernel's OOM killer has struck.\n" + chart.budget().tooltip()));
        n.add(zone);
        // the budget line: beside its label, then through each bar (not through the bars' labels)
        n.add(budgetLine(bx, 24, TOP - 2));
        if (chart.bars().isEmpty()) {
            n.add(budgetLine(bx, TOP - 2, height + 2));
        }
        for (int i = 0; i < chart.bars().size(); i++) {
            double y = TOP + i * ROW_H + 4;
            n.add(budgetLine(bx, y - 4, y + BAR_H + 4));
        }
        String budgetText = "budget " + chart.budget().text();
        double btw = width(budgetText, true);
        n.add(text(bx + 4 + btw <= x0 + w ? bx + 4 : Math.max(x0, bx - 4 - btw), TOP - 5, budgetText, true, DANGER));
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
            Text name = text(0, y + 15, elide(b.name(), LABEL_W - 10, false), false, null);
            Tooltip.install(name, new Tooltip(b.name()));
            n.add(name);
            Long limit = b.limit().bytes();
            double lw = limit == null ? w : w * Math.min(1, limit / total);
            Rectangle lr = rect(x0, y, lw, BAR_H, limit == null ? DANGER_ZONE : Color.web("#4c8bf5", 0.25), b.limit());
            lr.setStroke(limit == null ? DANGER : LIMIT);
            lr.setStrokeWidth(1.2);
            if (limit == null) {
                lr.getStrokeDashArray().setAll(4.0, 3.0);
            }
            n.add(lr);
            if (b.usage().bytes() != null) {
                n.add(rect(x0, y + 5, w * Math.min(1, b.usage().bytes() / total), BAR_H - 10, USAGE, b.usage()));
            }
            n.add(mark(x0 + w * Math.min(1, nz(b.spill()) / total), y, SPILL, "Dask spills to disk at " + human(b.spill())));
            n.add(mark(x0 + w * Math.min(1, nz(b.pause()) / total), y, PAUSE, "Dask pauses the worker at " + human(b.pause())));
            n.add(mark(x0 + w * Math.min(1, nz(b.terminate()) / total), y, DANGER,
                    (b.terminateNote() != null ? "Nanny restart: " + b.terminateNote()
                            : "The nanny restarts the worker at " + human(b.terminate())) + "\n" + b.daskLimit().tooltip()));
            String label = limit == null ? "no limit: Dask budget " + b.daskLimit().text() : "limit " + b.limit().text()
                    + " · Dask " + b.daskLimit().text();
            Text lt = text(x0, y + BAR_H + 14, elide(label, w, false), false, limit == null ? DANGER : null);
            lt.getStyleClass().add("bar-label");
            Tooltip.install(lt, new Tooltip(label));
            n.add(lt);
        }
        // legend: items side by side, wrapped onto another line where the chart is narrow
        double ly = height + 18;
        double lx = x0;
        int lines = 1;
        String[] labels = {"cgroup limit", "usage", "spill 70%", "pause 80%", "restart 95%", "beyond the budget: OOM killer"};
        Color[] colors = {Color.web("#4c8bf5", 0.4), USAGE, SPILL, PAUSE, DANGER, DANGER_ZONE.deriveColor(0, 1, 1, 3)};
        for (int i = 0; i < labels.length; i++) {
            double itemW = 14 + width(labels[i], false) + 18;
            if (lx > x0 && lx + itemW > x0 + w) {
                lx = x0;
                ly += LEGEND_LINE;
                lines++;
            }
            n.add(legend(lx, ly, colors[i], labels[i]));
            lx += itemW;
        }
        setPrefHeight(height + 12 + lines * LEGEND_LINE);
        canvas.getChildren().setAll(n);
    }

    private Line budgetLine(double x, double y0, double y1) {
        Line l = new Line(x, y0, x, y1);
        l.setStroke(DANGER);
        l.setStrokeWidth(2);
        l.getStrokeDashArray().setAll(6.0, 3.0);
        l.getStyleClass().add("budget-line");
        Tooltip.install(l, new Tooltip(chart.budget().tooltip()));
        return l;
    }

    private static double clamp(double x, double min, double max) {
        return Math.max(min, Math.min(x, max));
    }

    /** The width of a chart text in pixels (the font {@link #text} uses). */
    static double width(String s, boolean bold) {
        Text t = new Text(s);
        t.setFont(Font.font(null, bold ? FontWeight.BOLD : FontWeight.NORMAL, 12));
        return t.getLayoutBounds().getWidth();
    }

    /** The text, cut with an ellipsis to fit {@code max} pixels (the whole text is in the tooltip). */
    static String elide(String s, double max, boolean bold) {
        if (width(s, bold) <= max) {
            return s;
        }
        int n = s.length();
        while (n > 1 && width(s.substring(0, n) + "…", bold) > max) {
            n--;
        }
        return s.substring(0, n) + "…";
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
        Line l = new Line(x, y - 2, x, y + BAR_H + 2);
        l.getStyleClass().add("chart-mark");
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
