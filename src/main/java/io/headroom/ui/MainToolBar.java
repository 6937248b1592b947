package io.headroom.ui;

import javafx.beans.binding.Bindings;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The toolbar: Scan and Cancel, the Live toggle, Fix…, the scan's progress, the host filter, and the
 * badges saying where the data comes from (snapshot, demo) and that the window is read-only. Bindings only.
 */
final class MainToolBar {
    private MainToolBar() {
    }

    /** @param filter the host filter field (the Find host menu item focuses it) */
    static ToolBar create(MainViewModel vm, TextField filter, Runnable openFixWizard) {
        Button scan = new Button("Scan", new FontIcon(Feather.REFRESH_CW));
        scan.setId("scan");
        scan.setTooltip(new Tooltip("Scan every host of the selected cluster (F5)"));
        scan.disableProperty().bind(vm.scanningProperty());
        scan.setOnAction(e -> vm.scan());
        Button cancel = new Button("Cancel", new FontIcon(Feather.X));
        cancel.setId("cancel");
        cancel.visibleProperty().bind(vm.scanningProperty());
        cancel.managedProperty().bind(cancel.visibleProperty());
        cancel.setOnAction(e -> vm.cancel());
        ToggleButton live = new ToggleButton("Live", new FontIcon(Feather.ACTIVITY));
        live.setId("live");
        live.selectedProperty().bindBidirectional(vm.liveProperty());
        live.setTooltip(new Tooltip("Refresh every " + vm.liveSecondsProperty().get() + " s on warm connections (Ctrl+L)"));
        ProgressBar progress = new ProgressBar();
        progress.setId("progress");
        progress.progressProperty().bind(Bindings.createDoubleBinding(
                () -> vm.totalProperty().get() == 0 ? 0 : vm.doneProperty().get() / (double) vm.totalProperty().get(),
                vm.doneProperty(), vm.totalProperty()));
        progress.visibleProperty().bind(vm.scanningProperty());
        progress.setPrefWidth(120);
        filter.setId("filter");
        filter.setPromptText("Filter hosts (Ctrl+F)");
        filter.textProperty().bindBidirectional(vm.filterProperty());
        Button fix = new Button("Fix…", new FontIcon(Feather.TOOL));
        fix.setId("fix");
        fix.setTooltip(new Tooltip("Corrected compose files for the selected host: diffs, apply, verify, roll back (Ctrl+Shift+F)"));
        fix.disableProperty().bind(vm.lastReportProperty().isNull());
        fix.setOnAction(e -> openFixWizard.run());
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        return new ToolBar(scan, cancel, live, fix, progress, filter, grow, sourceBadge(vm), readOnlyBadge(vm));
    }

    /** "SNAPSHOT …" or "DEMO …" while such data is shown; where it came from on hover. */
    private static Label sourceBadge(MainViewModel vm) {
        Label source = new Label();
        source.setId("source");
        source.textProperty().bind(vm.sourceTextProperty());
        source.visibleProperty().bind(vm.sourceTextProperty().isNotEmpty());
        Tooltip sourceTip = new Tooltip();
        sourceTip.textProperty().bind(vm.reportSourceProperty());
        source.setTooltip(sourceTip);
        source.setStyle("-fx-text-fill: -color-fg-emphasis; -fx-background-color: -color-accent-emphasis; -fx-font-weight: bold;"
                + " -fx-padding: 2 8 2 8; -fx-background-radius: 4;");
        return source;
    }

    private static Label readOnlyBadge(MainViewModel vm) {
        Label readOnly = new Label("READ-ONLY", new FontIcon(Feather.LOCK));
        readOnly.setId("readOnly");
        readOnly.setTooltip(new Tooltip("Nothing is written to the VMs and nothing is restarted. Scans only read."));
        readOnly.visibleProperty().bind(vm.readOnlyProperty());
        readOnly.setStyle("-fx-text-fill: -color-success-fg; -fx-font-weight: bold; -fx-padding: 2 8 2 8;"
                + " -fx-border-color: -color-success-emphasis; -fx-border-radius: 4;");
        return readOnly;
    }
}
