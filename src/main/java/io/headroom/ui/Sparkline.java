package io.headroom.ui;

import javafx.scene.layout.Region;
import javafx.scene.shape.Line;
import javafx.scene.shape.Polyline;

import java.util.List;

/**
 * A small line of live-mode samples. Scaled min..max of the samples, or over a fixed range (0 to the
 * container's limit, say) with a dashed mark at a level such as the nanny's restart point.
 */
public final class Sparkline extends Region {
    private final Polyline line = new Polyline();
    private final Line mark = new Line();
    private List<MainViewModel.Sample> samples = List.of();
    private Long lo;
    private Long hi;
    private Long markAt;

    public Sparkline() {
        line.setStyle("-fx-stroke: -color-accent-emphasis; -fx-stroke-width: 1.5;");
        mark.setStyle("-fx-stroke: -color-danger-emphasis; -fx-stroke-width: 1; -fx-stroke-dash-array: 4 3;");
        mark.setVisible(false);
        getChildren().addAll(mark, line);
        getStyleClass().add("sparkline");
        setPrefSize(160, 28);
        setMinSize(60, 20);
    }

    public void setSamples(List<MainViewModel.Sample> s) {
        samples = s;
        requestLayout();
    }

    /** A fixed vertical range in bytes (null = the samples' min..max). */
    public void setRange(Long low, Long high) {
        lo = low;
        hi = high;
        requestLayout();
    }

    /** A dashed level line, e.g. the limit or the restart threshold (null = none). */
    public void setMark(Long bytes) {
        markAt = bytes;
        requestLayout();
    }

    /** Number of points drawn (for tests). */
    public int points() {
        return line.getPoints().size() / 2;
    }

    @Override
    protected void layoutChildren() {
        line.getPoints().clear();
        mark.setVisible(false);
        if (samples.size() < 2) {
            return;
        }
        long min = lo != null ? lo : samples.stream().mapToLong(MainViewModel.Sample::bytes).min().orElse(0);
        long max = hi != null ? Math.max(hi, samples.stream().mapToLong(MainViewModel.Sample::bytes).max().orElse(hi))
                : samples.stream().mapToLong(MainViewModel.Sample::bytes).max().orElse(1);
        double w = getWidth();
        double h = getHeight() - 2;
        for (int i = 0; i < samples.size(); i++) {
            double x = w * i / (samples.size() - 1);
            line.getPoints().addAll(x, y(samples.get(i).bytes(), min, max, h));
        }
        if (markAt != null && markAt >= min && markAt <= max) {
            double y = y(markAt, min, max, h);
            mark.setStartX(0);
            mark.setEndX(w);
            mark.setStartY(y);
            mark.setEndY(y);
            mark.setVisible(true);
        }
    }

    private static double y(long bytes, long min, long max, double h) {
        return 1 + (max == min ? h / 2 : h - h * (bytes - min) / (double) (max - min));
    }
}
