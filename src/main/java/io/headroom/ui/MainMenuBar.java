package io.headroom.ui;

import io.headroom.engine.HeadroomVersion;
import javafx.event.ActionEvent;
import javafx.event.EventHandler;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.input.KeyCombination;
import javafx.stage.FileChooser;
import javafx.stage.Window;

import java.io.File;
import java.util.function.Consumer;

/**
 * The menu bar (File, View, Help) with its keyboard accelerators, and the file choosers of File's
 * snapshot items. Each item calls the ViewModel or the window; nothing is read or written here.
 */
final class MainMenuBar {
    private MainMenuBar() {
    }

    /** @param themeSwitch called with true for the dark theme, false for the light one */
    static MenuBar create(MainViewModel vm, MainView view, Consumer<Boolean> themeSwitch) {
        MenuItem open = item("Open snapshot…", "Shortcut+O", e -> chooseOpen(vm, view.getScene().getWindow()));
        MenuItem save = item("Save snapshot…", "Shortcut+S", e -> chooseSave(vm, view.getScene().getWindow(), false));
        save.disableProperty().bind(vm.lastReportProperty().isNull());
        MenuItem saveRedacted = item("Save redacted snapshot (for sharing)…", "Shortcut+Shift+S",
                e -> chooseSave(vm, view.getScene().getWindow(), true));
        saveRedacted.setId("saveRedacted");
        saveRedacted.disableProperty().bind(vm.lastReportProperty().isNull());
        MenuItem quit = item("Quit", "Shortcut+Q", e -> view.getScene().getWindow().hide());
        MenuItem export = item("Export report…", "Shortcut+E", e -> ReportDialog.run(view.getScene().getWindow(), vm));
        export.setId("exportReport");
        export.disableProperty().bind(vm.lastReportProperty().isNull());
        Menu file = new Menu("File", null, open, save, saveRedacted, export, new SeparatorMenuItem(), quit);
        file.setId("fileMenu");
        MenuItem refresh = item("Scan now", "F5", e -> vm.scan());
        MenuItem find = item("Find host", "Shortcut+F", e -> view.focusFilter());
        MenuItem next = item("Next finding", "Shortcut+N", e -> view.nextFinding());
        MenuItem live = item("Live mode on/off", "Shortcut+L", e -> vm.liveProperty().set(!vm.liveProperty().get()));
        MenuItem fixItem = item("Fix memory limits…", "Shortcut+Shift+F", e -> view.openFixWizard());
        MenuItem dark = item("Dark theme", "Shortcut+D", e -> themeSwitch.accept(true));
        MenuItem light = item("Light theme", null, e -> themeSwitch.accept(false));
        Menu viewMenu = new Menu("View", null, refresh, find, next, live, fixItem, new SeparatorMenuItem(), light, dark);
        MenuItem demo = item("Open demo cluster", null, e -> vm.openDemo());
        demo.setId("openDemo");
        MenuItem about = item("About Headroom", null, e -> vm.statusProperty().set(
                "Headroom " + HeadroomVersion.get() + " — memory headroom for Dask clusters. Apache-2.0."));
        Menu help = new Menu("Help", null, demo, about);
        help.setId("helpMenu");
        return new MenuBar(file, viewMenu, help);
    }

    /** A menu item; {@code accel} in {@link KeyCombination#keyCombination} syntax, or null for none. */
    static MenuItem item(String text, String accel, EventHandler<ActionEvent> h) {
        MenuItem m = new MenuItem(text);
        if (accel != null) {
            m.setAccelerator(KeyCombination.keyCombination(accel));
        }
        m.setOnAction(h);
        return m;
    }

    private static void chooseOpen(MainViewModel vm, Window owner) {
        FileChooser fc = snapshotChooser("Open snapshot");
        File f = fc.showOpenDialog(owner);
        if (f != null) {
            vm.openSnapshot(f.toPath());
        }
    }

    private static void chooseSave(MainViewModel vm, Window owner, boolean redacted) {
        FileChooser fc = snapshotChooser(redacted ? "Save redacted snapshot (hostnames, IPs and users replaced)" : "Save snapshot");
        fc.setInitialFileName(redacted ? "scan-redacted.headroom.json" : "scan.headroom.json");
        File f = fc.showSaveDialog(owner);
        if (f != null) {
            vm.saveSnapshot(f.toPath(), redacted);
        }
    }

    private static FileChooser snapshotChooser(String title) {
        FileChooser fc = new FileChooser();
        fc.setTitle(title);
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Headroom snapshot", "*.headroom.json", "*.json"));
        return fc;
    }
}
