package io.headroom.ui;

import javafx.scene.layout.Region;
import javafx.scene.shape.Polyline;

import java.util.List;

/** A small line of live-mode samples (min..max scaled to the height). */
public final class Sparkline extends Region {
    private final Polyline line = new Polyline();
    private List<MainViewModel.Sample> samples = List.of();

    public Sparkline() {
        line.setStyle("-fx-stroke: -color-accent-emphasis; -fx-stroke-width: 1.5;");
        getChildren().add(line);
        setPrefSize(160, 28);
        setMinSize(60, 20);
    }

    public void setSamples(List<MainViewModel.Sample> s) {
        samples = s;
        requestLayout();
    }

    @Override
    protected void layoutChildren() {
        line.getPoints().clear();
        if (samples.size() < 2) {
            return;
        }
        long min = samples.stream().mapToLong(MainViewModel.Sample::bytes).min().orElse(0);
        long max = samples.stream().mapToLong(MainViewModel.Sample::bytes).max().orElse(1);
        double w = getWidth();
        double h = getHeight() - 2;
        for (int i = 0; i < samples.size(); i++) {
            double x = w * i / (samples.size() - 1);
            double y = max == min ? h / 2 : h - h * (samples.get(i).bytes() - min) / (double) (max - min);
            line.getPoints().addAll(x, y + 1);
        }
    }
}
