package io.headroom.ui;

import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.RadioButton;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.text.Font;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The fix wizard's window: mode and reserve on top, a coloured diff per compose file, then apply
 * (with an explicit restart choice), per-host progress, the verification and rollback. It only
 * binds to {@link FixWizardViewModel}.
 */
public final class FixWizardView extends BorderPane {
    private final FixWizardViewModel vm;
    private final VBox plansBox = new VBox(8);
    private final VBox resultsBox = new VBox(6);

    public FixWizardView(FixWizardViewModel vm) {
        this.vm = vm;
        setId("fixWizard");
        setPadding(new Insets(12));
        setTop(options());
        ScrollPane scroll = new ScrollPane(new VBox(12, new WhatIfPane(vm.whatIf()), plansBox, history(), resultsBox));
        scroll.setFitToWidth(true);
        setCenter(scroll);
        BorderPane.setMargin(scroll, new Insets(10, 0, 10, 0));
        setBottom(actions());
        vm.plans().addListener((ListChangeListener<FixWizardViewModel.PlanItem>) c -> renderPlans());
        vm.results().addListener((ListChangeListener<FixWizardViewModel.ResultItem>) c -> renderResults());
        renderPlans();
        renderResults();
    }

    /** Opens the wizard as a window owned by {@code owner}. */
    public static Stage show(Window owner, FixWizardViewModel vm) {
        Stage stage = new Stage();
        stage.initOwner(owner);
        stage.initModality(Modality.WINDOW_MODAL);
        stage.setTitle("Fix memory limits — Headroom");
        stage.setScene(new Scene(new FixWizardView(vm), 980, 720));
        if (owner instanceof Stage s) {
            stage.getIcons().setAll(s.getIcons());
        }
        stage.show();
        return stage;
    }

    private VBox options() {
        Label title = new Label("Fix memory limits");
        title.getStyleClass().add("title-3");
        ToggleGroup group = new ToggleGroup();
        RadioButton env = new RadioButton("env: mem_limit: ${AVAILABLE_MEMORY_FOR_DASK:-0} and the value in .env");
        env.setId("modeEnv");
        env.setTooltip(new Tooltip("The seed's pattern: compose reads the limit from .env beside the compose file.\n"
                + "Pair it with the boot snippet that writes MemAvailable to .env before docker starts the containers:\n"
                + "headroom boot-snippet --env-file /path/to/project/.env --reserve BYTES"));
        RadioButton literal = new RadioButton("literal: the bytes written into the compose file");
        literal.setId("modeLiteral");
        env.setMnemonicParsing(false); // "mem_limit" keeps its underscore
        literal.setMnemonicParsing(false);
        env.setToggleGroup(group);
        literal.setToggleGroup(group);
        group.selectToggle(vm.modeProperty().get() == FixWizardViewModel.Mode.ENV ? env : literal);
        group.selectedToggleProperty().addListener((o, a, b) ->
                vm.modeProperty().set(b == literal ? FixWizardViewModel.Mode.LITERAL : FixWizardViewModel.Mode.ENV));

        TextField reserve = new TextField();
        reserve.setId("reserve");
        reserve.setPrefColumnCount(10);
        reserve.textProperty().bindBidirectional(vm.reserveProperty());
        reserve.setOnAction(e -> vm.replan());
        reserve.setTooltip(new Tooltip("Memory kept for the OS and agents; the recommendation is what the VM can give Dask minus this."));
        Button recalc = new Button("Recalculate", new FontIcon(Feather.REFRESH_CW));
        recalc.setOnAction(e -> vm.replan());
        TextField scheduler = new TextField();
        scheduler.setPromptText("http://scheduler:8787 (optional)");
        scheduler.setPrefColumnCount(22);
        scheduler.textProperty().bindBidirectional(vm.schedulerProperty());
        scheduler.setTooltip(new Tooltip("When set, the verification also compares Dask's reported memory_limit (/json/identity.json)."));
        HBox row = new HBox(8, new Label("Reserve for the OS"), reserve, recalc, new Label("Scheduler"), scheduler);
        row.setAlignment(Pos.CENTER_LEFT);
        Label reserveError = new Label();
        reserveError.textProperty().bind(vm.reserveErrorProperty());
        reserveError.setStyle("-fx-text-fill: -color-danger-fg;");
        reserveError.managedProperty().bind(vm.reserveErrorProperty().isNotEmpty());

        Label disabled = new Label();
        disabled.setId("disabledReason");
        disabled.setGraphic(new FontIcon(Feather.LOCK));
        disabled.setWrapText(true);
        disabled.textProperty().bind(vm.disabledReasonProperty());
        disabled.visibleProperty().bind(vm.disabledReasonProperty().isNotNull());
        disabled.managedProperty().bind(disabled.visibleProperty());
        disabled.setStyle("-fx-background-color: -color-warning-subtle; -fx-padding: 6 10 6 10; -fx-background-radius: 4;");
        disabled.setMaxWidth(Double.MAX_VALUE);
        Label origin = new Label();
        origin.setId("fixOrigin");
        origin.setWrapText(true);
        origin.setMaxWidth(Double.MAX_VALUE);
        origin.textProperty().bind(vm.originProperty());
        origin.visibleProperty().bind(vm.originProperty().isNotNull());
        origin.managedProperty().bind(origin.visibleProperty());
        origin.setStyle("-fx-background-color: -color-accent-subtle; -fx-padding: 6 10 6 10; -fx-background-radius: 4;");
        return new VBox(8, title, origin, env, literal, row, reserveError, disabled);
    }

    private VBox actions() {
        CheckBox restart = new CheckBox("Restart the affected services now (up -d --no-deps): the workers restart and the tasks"
                + " running on them are lost; then re-scan and verify");
        restart.setId("restart");
        restart.setMnemonicParsing(false);
        restart.setWrapText(true);
        restart.selectedProperty().bindBidirectional(vm.restartProperty());
        Button apply = new Button("Apply", new FontIcon(Feather.UPLOAD));
        apply.setId("apply");
        apply.getStyleClass().add("accent");
        apply.disableProperty().bind(vm.disabledReasonProperty().isNotNull().or(vm.busyProperty()));
        apply.setOnAction(e -> vm.apply());
        Button rollback = new Button("Roll back to the newest backups", new FontIcon(Feather.ROTATE_CCW));
        rollback.setId("rollback");
        rollback.disableProperty().bind(Bindings.createBooleanBinding(
                () -> vm.busyProperty().get() || (vm.disabledReasonProperty().get() != null
                        && !vm.disabledReasonProperty().get().startsWith("Nothing to fix")), vm.busyProperty(), vm.disabledReasonProperty()));
        rollback.setOnAction(e -> vm.rollback());
        Button close = new Button("Close");
        close.setCancelButton(true);
        close.setOnAction(e -> getScene().getWindow().hide());
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        Label status = new Label();
        status.setId("wizardStatus");
        status.textProperty().bind(vm.statusProperty());
        HBox buttons = new HBox(8, status, grow, rollback, apply, close);
        buttons.setAlignment(Pos.CENTER_LEFT);
        ListView<String> progress = new ListView<>(vm.progress());
        progress.setId("progress");
        progress.setPrefHeight(110);
        progress.visibleProperty().bind(Bindings.isNotEmpty(vm.progress()));
        progress.managedProperty().bind(progress.visibleProperty());
        return new VBox(8, restart, progress, buttons);
    }

    /**
     * The history of a compose file: its Headroom backups (time, file, SHA-256, who pushed) listed on demand, and
     * one chosen put back through the same engine as {@code headroom fix --rollback --to} (decision 0021).
     */
    private TitledPane history() {
        Button list = new Button("List backups", new FontIcon(Feather.LIST));
        list.setId("listBackups");
        list.disableProperty().bind(vm.busyProperty());
        list.setOnAction(e -> vm.loadBackups());
        ListView<FixWizardViewModel.BackupItem> backups = new ListView<>(vm.backups());
        backups.setId("backups");
        backups.setPrefHeight(130);
        backups.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> vm.selectedBackupProperty().set(b));
        vm.selectedBackupProperty().addListener((o, a, b) -> {
            if (b == null) {
                backups.getSelectionModel().clearSelection();
            }
        });
        Button rollbackTo = new Button("Roll back to this backup", new FontIcon(Feather.ROTATE_CCW));
        rollbackTo.setId("rollbackTo");
        rollbackTo.disableProperty().bind(Bindings.createBooleanBinding(() -> vm.busyProperty().get()
                || vm.rollbackToDisabledReason() != null, vm.busyProperty(), vm.selectedBackupProperty()));
        rollbackTo.setOnAction(e -> vm.rollbackToSelected());
        Label status = new Label();
        status.setId("historyStatus");
        status.setWrapText(true);
        status.textProperty().bind(vm.historyStatusProperty());
        Label note = new Label("Putting a backup back is refused when the file is no longer the one Headroom wrote there"
                + " (this machine's audit log); the restart choice below applies to it too.");
        note.setWrapText(true);
        HBox row = new HBox(8, list, rollbackTo, status);
        row.setAlignment(Pos.CENTER_LEFT);
        TitledPane pane = new TitledPane("History: Headroom's backups on the VM", new VBox(6, note, row, backups));
        pane.setId("history");
        pane.setMnemonicParsing(false);
        pane.setExpanded(true);
        return pane;
    }

    private void renderPlans() {
        plansBox.getChildren().clear();
        if (vm.plans().isEmpty()) {
            plansBox.getChildren().add(new Label("No compose file to change: no Dask compose service on these hosts has a memory"
                    + " finding with a recommended limit."));
            return;
        }
        for (FixWizardViewModel.PlanItem p : vm.plans()) {
            VBox body = new VBox(4);
            if (p.refusal() != null) {
                Label r = new Label("Cannot edit safely: " + p.refusal());
                r.setWrapText(true);
                r.setStyle("-fx-text-fill: -color-danger-fg;");
                body.getChildren().add(r);
            } else {
                p.plan().notes().forEach(n -> {
                    Label l = new Label(n);
                    l.setWrapText(true);
                    body.getChildren().add(l);
                });
                body.getChildren().add(diff(p.diff()));
            }
            TitledPane pane = new TitledPane(p.title(), body);
            pane.setMnemonicParsing(false);
            pane.getStyleClass().add("fix-plan");
            plansBox.getChildren().add(pane);
        }
    }

    /** A unified diff with added lines green, removed lines red, headers muted. */
    static TextFlow diff(String diff) {
        TextFlow flow = new TextFlow();
        flow.getStyleClass().add("diff");
        Font mono = Font.font("monospace", 12.5);
        for (String line : diff.split("\n", -1)) {
            Text t = new Text(line + "\n");
            t.setFont(mono);
            String style;
            if (line.startsWith("+++") || line.startsWith("---") || line.startsWith("@@")) {
                style = "-fx-fill: -color-fg-muted;";
            } else if (line.startsWith("+")) {
                style = "-fx-fill: -color-success-fg; -fx-font-weight: bold;";
            } else if (line.startsWith("-")) {
                style = "-fx-fill: -color-danger-fg;";
            } else {
                style = "-fx-fill: -color-fg-default;";
            }
            t.setStyle(style);
            flow.getChildren().add(t);
        }
        flow.setPadding(new Insets(6));
        flow.setStyle("-fx-background-color: -color-bg-subtle; -fx-background-radius: 4;");
        return flow;
    }

    private void renderResults() {
        resultsBox.getChildren().clear();
        for (FixWizardViewModel.ResultItem r : vm.results()) {
            Label title = new Label(r.title(), new FontIcon(r.ok() ? Feather.CHECK_CIRCLE : Feather.ALERT_TRIANGLE));
            title.setStyle(r.ok() ? "-fx-text-fill: -color-success-fg; -fx-font-weight: bold;"
                    : "-fx-text-fill: -color-danger-fg; -fx-font-weight: bold;");
            VBox box = new VBox(2, title);
            for (String l : r.lines()) {
                Label line = new Label(l);
                line.setWrapText(true);
                box.getChildren().add(line);
            }
            resultsBox.getChildren().add(box);
        }
    }
}
