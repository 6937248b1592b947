package io.headroom.ui;

import io.headroom.model.Bytes;
import io.headroom.model.DeathCause;
import javafx.beans.InvalidationListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Line;
import javafx.scene.shape.Polygon;
import javafx.scene.shape.Polyline;
import javafx.scene.shape.Rectangle;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import javafx.util.StringConverter;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The host detail's "Deaths" tab: the button and window that read a VM's deaths on demand, the timeline
 * (one row per Dask worker container, deaths and pauses as marks, live mode's usage behind them) and the
 * selected mark's evidence, cause and fix, with a button that starts the fix wizard from it. It only binds
 * to {@link TimelineViewModel}.
 */
public final class TimelinePane extends VBox {
    private final Button look = new Button("Look for deaths", new FontIcon(Feather.SEARCH));
    private final ComboBox<Duration> window = new ComboBox<>();
    private final Label message = new Label();
    private final Label note = new Label();
    private final Chart chart = new Chart();
    private final FlowPane untimed = new FlowPane(8, 4);
    private final Label legend = new Label("◆ red: the kernel's OOM kill   ◆ amber: Dask's nanny restart   ◆ grey: another signal or the"
            + " container's exit   dashed outline: uncertain   ▼ Dask paused the worker / unmanaged memory high   line: usage in live mode");
    private final VBox details = new VBox(6);
    private final Consumer<FixWizardViewModel> openWizard;
    private TimelineViewModel vm;
    private final InvalidationListener redraw = o -> render();
    private final InvalidationListener reselect = o -> showDetails();

    /** @param openWizard opens the fix wizard started from a death (the window it belongs to is the view's) */
    public TimelinePane(Consumer<FixWizardViewModel> openWizard) {
        this.openWizard = openWizard;
        setId("timelinePane");
        setSpacing(8);
        setPadding(new Insets(8));
        look.setId("lookForDeaths");
        look.setTooltip(new Tooltip("Reads the VM's kernel log, its engine's container states and its Dask containers' logs"
                + " (bounded; secrets masked on the VM), as `headroom deaths` does. Never during a live refresh."));
        window.setId("deathWindow");
        window.getItems().setAll(TimelineViewModel.WINDOWS);
        window.setConverter(new StringConverter<>() {
            @Override
            public String toString(Duration d) {
                return d == null ? "" : d.toDays() >= 1 && d.toHours() % 24 == 0 ? "last " + d.toDays() + (d.toDays() == 1 ? " day" : " days")
                        : "last " + d.toHours() + (d.toHours() == 1 ? " hour" : " hours");
            }

            @Override
            public Duration fromString(String s) {
                return null;
            }
        });
        message.setId("timelineMessage");
        message.setWrapText(true);
        message.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(message, Priority.ALWAYS);
        HBox top = new HBox(8, look, window, message);
        top.setAlignment(Pos.CENTER_LEFT);
        note.setId("timelineNote");
        note.setWrapText(true);
        note.setStyle("-fx-background-color: -color-accent-subtle; -fx-padding: 4 8 4 8; -fx-background-radius: 4;");
        note.managedProperty().bind(note.visibleProperty());
        chart.setId("timelineChart");
        untimed.setId("untimedDeaths");
        untimed.managedProperty().bind(untimed.visibleProperty());
        details.setId("deathDetails");
        details.setPadding(new Insets(8, 10, 8, 10));
        details.setStyle("-fx-background-color: -color-bg-subtle; -fx-background-radius: 6; -fx-border-radius: 6;"
                + " -fx-border-color: -color-border-default;");
        details.managedProperty().bind(details.visibleProperty());
        legend.setId("timelineLegend");
        legend.setWrapText(true);
        legend.setStyle("-fx-font-size: 11px; -fx-text-fill: -color-fg-muted;");
        legend.managedProperty().bind(legend.visibleProperty());
        legend.visibleProperty().bind(chart.visibleProperty());
        getChildren().addAll(top, note, chart, legend, untimed, details);
        look.setOnAction(e -> {
            if (vm != null) {
                vm.lookForDeaths();
            }
        });
        window.valueProperty().addListener((o, a, d) -> {
            if (vm != null && d != null && !d.equals(vm.windowProperty().get())) {
                vm.windowProperty().set(d);
            }
        });
        setModel(null);
    }

    /** Shows a host's timeline (null clears). */
    public void setModel(TimelineViewModel model) {
        if (vm != null) {
            vm.rowsProperty().removeListener(redraw);
            vm.stateProperty().removeListener(redraw);
            vm.messageProperty().removeListener(redraw);
            vm.detailsProperty().removeListener(reselect);
        }
        vm = model;
        if (vm != null) {
            window.setValue(vm.windowProperty().get());
            vm.rowsProperty().addListener(redraw);
            vm.stateProperty().addListener(redraw);
            vm.messageProperty().addListener(redraw);
            vm.detailsProperty().addListener(reselect);
        }
        render();
        showDetails();
    }

    /** The model shown. */
    TimelineViewModel model() {
        return vm;
    }

    /** The drawing (tests). */
    Chart chart() {
        return chart;
    }

    private void render() {
        look.setDisable(vm == null || vm.stateProperty().get() == TimelineViewModel.State.LOADING);
        window.setDisable(vm == null || !vm.windowed());
        message.setText(vm == null ? "Select a host." : vm.messageProperty().get());
        message.setStyle(vm != null && vm.stateProperty().get() == TimelineViewModel.State.ERROR ? "-fx-text-fill: -color-danger-fg;" : "");
        note.setText(vm == null ? null : vm.noteProperty().get());
        note.setVisible(vm != null && vm.noteProperty().get() != null);
        boolean loaded = vm != null && vm.stateProperty().get() == TimelineViewModel.State.LOADED;
        chart.setVisible(loaded);
        chart.setManaged(loaded);
        chart.show(loaded ? vm : null);
        untimed.getChildren().clear();
        if (loaded && !vm.untimedProperty().get().isEmpty()) {
            untimed.getChildren().add(new Label("Deaths without a time:"));
            for (TimelineViewModel.Mark m : vm.untimedProperty().get()) {
                Hyperlink h = new Hyperlink(m.label());
                h.setOnAction(e -> vm.selectedProperty().set(m));
                untimed.getChildren().add(h);
            }
        }
        untimed.setVisible(!untimed.getChildren().isEmpty());
    }

    private void showDetails() {
        TimelineViewModel.Details d = vm == null ? null : vm.detailsProperty().get();
        details.getChildren().clear();
        details.setVisible(d != null);
        chart.highlight(vm == null ? null : vm.selectedProperty().get());
        if (d == null) {
            return;
        }
        Label head = new Label(d.head());
        head.setId("deathHead");
        head.setStyle("-fx-font-family: monospace; -fx-font-weight: bold;");
        head.setWrapText(true);
        Label cause = wrapped(d.cause(), "deathCause");
        details.getChildren().addAll(head, cause);
        if (d.figures() != null) {
            details.getChildren().add(wrapped(d.figures(), "deathFigures"));
        }
        if (d.uncertain() != null) {
            Label u = wrapped("UNCERTAIN: " + d.uncertain(), "deathUncertain");
            u.setStyle("-fx-text-fill: -color-warning-fg; -fx-font-weight: bold;");
            details.getChildren().add(u);
        }
        TextFlow evidence = new TextFlow();
        evidence.setId("deathEvidence");
        evidence.setStyle("-fx-font-family: monospace; -fx-font-size: 11px;");
        for (int i = 0; i < d.evidence().size(); i++) {
            Text t = new Text((i == 0 ? "| " : "\n| ") + d.evidence().get(i));
            t.setStyle("-fx-fill: -color-fg-muted;");
            evidence.getChildren().add(t);
        }
        details.getChildren().add(evidence);
        if (d.poison() != null) {
            details.getChildren().add(wrapped(d.poison(), "deathPoison"));
        }
        if (d.fix() != null) {
            Label fix = wrapped("Fix: " + d.fix(), "deathFix");
            fix.setStyle("-fx-text-fill: -color-success-fg;");
            details.getChildren().add(fix);
        }
        Button wizard = new Button("Fix from this death…", new FontIcon(Feather.TOOL));
        wizard.setId("fixFromDeath");
        wizard.setDisable(d.noFix() != null);
        wizard.setOnAction(e -> {
            FixWizardViewModel w = vm.fixWizard();
            if (w != null) {
                openWizard.accept(w);
            }
        });
        HBox actions = new HBox(8, wizard);
        actions.setAlignment(Pos.CENTER_LEFT);
        if (d.noFix() != null) {
            Label why = new Label(d.noFix());
            why.setId("noFix");
            why.setWrapText(true);
            why.setStyle("-fx-text-fill: -color-fg-muted;");
            actions.getChildren().add(why);
        }
        details.getChildren().add(actions);
        javafx.application.Platform.runLater(this::revealDetails);
    }

    /** Scrolls the host detail just enough that the selected mark's evidence and its button are in sight. */
    private void revealDetails() {
        Node n = getParent();
        while (n != null && !(n instanceof javafx.scene.control.ScrollPane)) {
            n = n.getParent();
        }
        if (!(n instanceof javafx.scene.control.ScrollPane sp) || sp.getContent() == null || !details.isVisible()) {
            return;
        }
        // the details were just filled: lay them out now, or the heights below are the previous mark's (a button
        // left below the viewport, 1 run in 2 of TimelinePaneFxTest)
        sp.applyCss();
        sp.layout();
        double content = sp.getContent().getBoundsInLocal().getHeight();
        double view = sp.getViewportBounds().getHeight();
        if (content <= view) {
            return;
        }
        javafx.geometry.Bounds b = sp.getContent().sceneToLocal(details.localToScene(details.getBoundsInLocal()));
        double offset = sp.getVvalue() * (content - view);
        double want = Math.min(b.getMinY(), Math.max(offset, b.getMaxY() - view));
        sp.setVvalue(Math.max(0, Math.min(1, want / (content - view))));
    }

    private static Label wrapped(String text, String id) {
        Label l = new Label(text);
        l.setId(id);
        l.setWrapText(true);
        l.setMaxWidth(Double.MAX_VALUE);
        return l;
    }

    /**
     * The drawing: a label column, one band per row (MemAvailable first when live mode has samples), the usage
     * line behind the marks, and the time axis below with its tick labels. Marks stay inside the axis area.
     */
    static final class Chart extends Region {
        static final double LABEL_WIDTH = 210;
        static final double ROW = 32;
        static final double AXIS = 26;
        static final double MARK = 11;
        private final List<Band> bands = new ArrayList<>();
        private final List<Node> ticks = new ArrayList<>();
        private final List<Label> tickLabels = new ArrayList<>();
        private final Label zone = new Label();
        private final Line axisLine = new Line();
        private TimelineViewModel.Axis axis;
        private final List<MarkNode> marks = new ArrayList<>();

        private record Band(Label label, Rectangle background, Polyline usage, List<TimelineViewModel.Point> points, Long scale) {
        }

        private record MarkNode(TimelineViewModel.Mark mark, Polygon shape, int band) {
        }

        Chart() {
            getStyleClass().add("timeline-chart");
            setMinHeight(AXIS);
            axisLine.setStyle("-fx-stroke: -color-border-default;");
            zone.setStyle("-fx-text-fill: -color-fg-muted; -fx-font-size: 11px;");
        }

        void show(TimelineViewModel vm) {
            getChildren().clear();
            bands.clear();
            ticks.clear();
            tickLabels.clear();
            marks.clear();
            axis = vm == null ? null : vm.axisProperty().get();
            if (vm == null || axis == null) {
                setPrefHeight(0);
                requestLayout();
                return;
            }
            List<TimelineViewModel.Point> avail = vm.memAvailableProperty().get();
            if (avail.size() >= 2) {
                long max = avail.stream().mapToLong(TimelineViewModel.Point::bytes).max().orElse(1);
                addBand("VM · MemAvailable", "MemAvailable of the VM, live mode's samples (0 to " + Bytes.human(max) + ")",
                        avail, max, "-color-success-emphasis");
            }
            for (TimelineViewModel.Row r : vm.rowsProperty().get()) {
                long peak = r.usage().stream().mapToLong(TimelineViewModel.Point::bytes).max().orElse(0);
                Long scale = r.limitBytes() != null ? Long.valueOf(Math.max(r.limitBytes(), peak)) : peak > 0 ? Long.valueOf(peak) : null;
                String tip = r.name() + (r.limitBytes() == null ? ", no limit known" : ", limit " + Bytes.human(r.limitBytes()))
                        + (r.restartBytes() == null ? "" : ", Dask restarts at " + Bytes.human(r.restartBytes()))
                        + (r.usage().isEmpty() ? "" : "\nbehind the marks: usage in live mode, 0 to " + Bytes.human(scale));
                int band = addBand(r.name(), tip, r.usage(), scale, "-color-accent-emphasis");
                for (TimelineViewModel.Mark m : r.marks()) {
                    Polygon p = shape(m);
                    p.setId("mark-" + marks.size());
                    Tooltip.install(p, new Tooltip(m.label()));
                    p.setOnMouseClicked(e -> vm.selectedProperty().set(m));
                    p.setStyle(p.getStyle() + " -fx-cursor: hand;");
                    marks.add(new MarkNode(m, p, band));
                }
            }
            for (TimelineViewModel.Tick t : axis.ticks()) {
                Line l = new Line();
                l.setStyle("-fx-stroke: -color-border-muted; -fx-stroke-dash-array: 2 4;");
                ticks.add(l);
                Label lab = new Label(t.label());
                lab.getStyleClass().add("timeline-tick");
                lab.setStyle("-fx-font-size: 11px; -fx-text-fill: -color-fg-muted;");
                tickLabels.add(lab);
            }
            zone.setText("times in " + axis.zone());
            getChildren().addAll(ticks);
            getChildren().add(axisLine);
            getChildren().addAll(tickLabels);
            getChildren().add(zone);
            marks.forEach(m -> getChildren().add(m.shape()));
            setPrefHeight(bands.size() * ROW + AXIS + 4);
            requestLayout();
        }

        private int addBand(String name, String tip, List<TimelineViewModel.Point> points, Long scale, String colour) {
            Label l = new Label(name);
            l.getStyleClass().add("timeline-row-label");
            l.setId("row-" + bands.size());
            l.setMaxWidth(LABEL_WIDTH - 10);
            l.setMinWidth(0);
            l.setTooltip(new Tooltip(tip));
            Rectangle bg = new Rectangle();
            bg.setStyle(bands.size() % 2 == 0 ? "-fx-fill: -color-bg-subtle;" : "-fx-fill: transparent;");
            Polyline u = new Polyline();
            u.setStyle("-fx-stroke: " + colour + "; -fx-stroke-width: 1.2; -fx-opacity: 0.45;");
            bands.add(new Band(l, bg, u, points, scale));
            getChildren().addAll(bg, u, l);
            return bands.size() - 1;
        }

        private static Polygon shape(TimelineViewModel.Mark m) {
            double h = MARK / 2;
            Polygon p;
            if (m.kind() == TimelineViewModel.MarkKind.DEATH) {
                p = new Polygon(0, -h, h, 0, 0, h, -h, 0); // a diamond
                DeathCause c = m.death().cause();
                String fill = switch (c) {
                    case KERNEL_OOM_CONTAINER, KERNEL_OOM_HOST -> "-color-danger-emphasis";
                    case DASK_NANNY_RESTART -> "-color-warning-emphasis";
                    default -> "-color-neutral-emphasis";
                };
                p.setStyle("-fx-fill: " + fill + "; -fx-stroke: " + (m.death().isUncertain() ? "-color-fg-default; -fx-stroke-dash-array: 2 2;"
                        : "-color-bg-default;") + " -fx-stroke-width: 1.5;");
            } else {
                double s = h * 0.8;
                p = new Polygon(-s, -s, s, -s, 0, s); // a small triangle pointing down
                p.setStyle("-fx-fill: " + (m.kind() == TimelineViewModel.MarkKind.PAUSE ? "-color-warning-muted" : "-color-accent-muted")
                        + "; -fx-stroke: -color-warning-emphasis; -fx-stroke-width: 1;");
            }
            p.getStyleClass().add("timeline-mark");
            return p;
        }

        void highlight(TimelineViewModel.Mark selected) {
            for (MarkNode m : marks) {
                boolean on = m.mark() == selected;
                m.shape().setScaleX(on ? 1.5 : 1);
                m.shape().setScaleY(on ? 1.5 : 1);
                if (on) {
                    m.shape().toFront();
                }
            }
        }

        /** The node drawn for a mark, or null (tests). */
        Polygon node(TimelineViewModel.Mark m) {
            return marks.stream().filter(n -> n.mark() == m).map(MarkNode::shape).findFirst().orElse(null);
        }

        /** The mark nodes, in row order (tests). */
        List<Polygon> markNodes() {
            return marks.stream().map(MarkNode::shape).toList();
        }

        /** The usage line drawn behind a row's marks (tests). */
        Polyline usageLine(int band) {
            return bands.get(band).usage();
        }

        /** The row labels (tests). */
        List<Label> rowLabels() {
            return bands.stream().map(Band::label).toList();
        }

        /** The tick labels that are shown (tests). */
        List<Label> visibleTickLabels() {
            return tickLabels.stream().filter(Node::isVisible).toList();
        }

        /** The left end of the axis area, in the chart's coordinates. */
        double axisLeft() {
            return LABEL_WIDTH;
        }

        /** The right end of the axis area. */
        double axisRight() {
            return getWidth() - 8;
        }

        @Override
        protected double computePrefWidth(double height) {
            return 600;
        }

        @Override
        protected double computePrefHeight(double width) {
            return bands.size() * ROW + (axis == null ? 0 : AXIS + 4);
        }

        @Override
        protected void layoutChildren() {
            if (axis == null) {
                return;
            }
            double left = axisLeft();
            double right = Math.max(left + 20, axisRight());
            double span = right - left;
            for (int i = 0; i < bands.size(); i++) {
                Band b = bands.get(i);
                double top = i * ROW;
                b.background().setX(0);
                b.background().setY(top);
                b.background().setWidth(getWidth());
                b.background().setHeight(ROW);
                b.label().resizeRelocate(6, top + (ROW - 18) / 2, LABEL_WIDTH - 12, 18);
                b.usage().getPoints().clear();
                if (b.scale() != null && b.scale() > 0 && b.points().size() >= 2) {
                    for (TimelineViewModel.Point p : b.points()) {
                        double y = top + ROW - 3 - (ROW - 6) * Math.min(1, p.bytes() / (double) b.scale());
                        b.usage().getPoints().addAll(left + span * p.fraction(), y);
                    }
                }
            }
            double bottom = bands.size() * ROW;
            axisLine.setStartX(left);
            axisLine.setEndX(right);
            axisLine.setStartY(bottom + 0.5);
            axisLine.setEndY(bottom + 0.5);
            double lastRight = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < ticks.size(); i++) {
                double x = Math.round(left + span * axis.ticks().get(i).fraction()) + 0.5;
                Line l = (Line) ticks.get(i);
                l.setStartX(x);
                l.setEndX(x);
                l.setStartY(0);
                l.setEndY(bottom + 4);
                Label lab = tickLabels.get(i);
                double w = lab.prefWidth(-1);
                double lx = Math.max(left, Math.min(right - w, x - w / 2));
                lab.resizeRelocate(lx, bottom + 5, w, 16);
                lab.setVisible(lx > lastRight + 6); // a label that would touch the previous one is left out
                if (lab.isVisible()) {
                    lastRight = lx + w;
                }
            }
            double zw = zone.prefWidth(-1);
            zone.resizeRelocate(6, bottom + 5, Math.min(zw, LABEL_WIDTH - 12), 16);
            double half = MARK / 2 + 1;
            double[] lastX = new double[bands.size()];
            java.util.Arrays.fill(lastX, Double.NEGATIVE_INFINITY);
            int[] stack = new int[bands.size()];
            for (MarkNode m : marks) {
                double x = Math.max(left + half, Math.min(right - half, left + span * m.mark().fraction()));
                int b = m.band();
                stack[b] = x - lastX[b] < MARK ? (stack[b] + 1) % 3 : 0; // close marks of one row step up and down
                lastX[b] = x;
                double y = b * ROW + ROW / 2 + (stack[b] == 1 ? -(MARK - 1) : stack[b] == 2 ? MARK - 1 : 0);
                m.shape().setLayoutX(x);
                m.shape().setLayoutY(y);
            }
        }
    }
}
