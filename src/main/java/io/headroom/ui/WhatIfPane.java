package io.headroom.ui;

import io.headroom.analysis.WhatIfComparison;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** The fix wizard's "What if…" section: it only binds to {@link WhatIfViewModel}. */
final class WhatIfPane extends TitledPane {
    private final WhatIfViewModel vm;
    private final GridPane grid = new GridPane();

    WhatIfPane(WhatIfViewModel vm) {
        this.vm = vm;
        setId("whatIf");
        setText("What if… (nothing is written: Dask's budget and the verdict for another limit or other worker options)");
        setMnemonicParsing(false);
        ComboBox<WhatIfViewModel.Choice> container = new ComboBox<>(vm.choices());
        container.setId("whatIfContainer");
        container.valueProperty().bindBidirectional(vm.selectedProperty());
        container.setPrefWidth(420);
        TextField limit = field("whatIfLimit", vm.limitProperty(), 11,
                "The container's memory limit as compose reads mem_limit: 2g, 1536m, bytes, or none");
        TextField memory = field("whatIfMemoryLimit", vm.memoryLimitProperty(), 8, "Dask's --memory-limit: auto, 4GiB, 0.5 or bytes");
        TextField workers = field("whatIfNworkers", vm.nworkersProperty(), 4, "Dask's --nworkers: a number, -1 or auto");
        HBox inputs = new HBox(8, label("Container"), container);
        inputs.setAlignment(Pos.CENTER_LEFT);
        HBox options = new HBox(8, label("mem_limit"), limit, label("--memory-limit"), memory, label("--nworkers"), workers);
        options.setAlignment(Pos.CENTER_LEFT);
        Label error = new Label();
        error.setId("whatIfError");
        error.textProperty().bind(vm.errorProperty());
        error.visibleProperty().bind(vm.errorProperty().isNotNull());
        error.managedProperty().bind(error.visibleProperty());
        error.setStyle("-fx-text-fill: -color-danger-fg;");
        grid.setId("whatIfRows");
        grid.setHgap(18);
        grid.setVgap(3);
        vm.rows().addListener((ListChangeListener<WhatIfComparison.Row>) c -> render());
        render();
        VBox body = new VBox(8, inputs, options, error, grid);
        body.setPadding(new Insets(8));
        setContent(body);
        setExpanded(!vm.choices().isEmpty());
    }

    /** A label that is never cut (the fields give way instead). */
    private static Label label(String text) {
        Label l = new Label(text);
        l.setMinWidth(Region.USE_PREF_SIZE);
        l.setMnemonicParsing(false);
        return l;
    }

    private static TextField field(String id, javafx.beans.property.StringProperty p, int columns, String tip) {
        TextField f = new TextField();
        f.setId(id);
        f.setPrefColumnCount(columns);
        f.textProperty().bindBidirectional(p);
        f.setTooltip(new Tooltip(tip));
        return f;
    }

    private void render() {
        grid.getChildren().clear();
        if (vm.rows().isEmpty()) {
            grid.add(new Label("No Dask container on these hosts."), 0, 0);
            return;
        }
        Label now = new Label("now");
        Label after = new Label("what if");
        now.setStyle("-fx-text-fill: -color-fg-muted;");
        after.setStyle("-fx-text-fill: -color-fg-muted;");
        grid.addRow(0, new Label(), now, after);
        int r = 1;
        for (WhatIfComparison.Row row : vm.rows()) {
            Label a = new Label(row.now());
            Label b = new Label(row.after());
            b.getStyleClass().add("what-if-after");
            if (row.changed()) {
                b.setStyle("-fx-font-weight: bold; -fx-text-fill: " + (row.label().equals("verdict") && !row.after().equals("healthy")
                        ? "-color-danger-fg;" : "-color-accent-fg;"));
            }
            a.setWrapText(true);
            b.setWrapText(true);
            grid.addRow(r++, label(row.label()), a, b);
        }
    }
}
