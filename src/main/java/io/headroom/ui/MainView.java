package io.headroom.ui;

import io.headroom.engine.inventory.Cluster;
import io.headroom.engine.inventory.SshConfigHosts;
import io.headroom.model.Bytes;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputDialog;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Line;
import javafx.scene.shape.Rectangle;
import javafx.stage.FileChooser;
import javafx.util.Duration;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/** The main window, built in code. It binds to {@link MainViewModel}; all work happens there. */
public final class MainView extends BorderPane {
    private final MainViewModel vm;
    private final HostDetailView detail = new HostDetailView();
    private final TextField filter = new TextField();
    private final Consumer<Boolean> themeSwitch;

    public MainView(MainViewModel vm, Consumer<Boolean> themeSwitch) {
        this.vm = vm;
        this.themeSwitch = themeSwitch;
        getStyleClass().add("main-view");
        setTop(new VBox(menuBar(), toolBar()));
        setLeft(sidebar());
        SplitPane split = new SplitPane(overview(), detail);
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.42);
        split.setId("mainSplit");
        setCenter(split);
        setBottom(statusBar());
        vm.selectedHostProperty().addListener((o, a, row) -> showDetail(row));
        IdleMemoryTrim.install(vm.scanningProperty(), vm.liveProperty());
        vm.windowTitleProperty().addListener((o, a, title) -> {
            if (getScene() != null && getScene().getWindow() instanceof javafx.stage.Stage stage) {
                stage.setTitle(title);
            }
        });
        Timeline live = new Timeline(new KeyFrame(Duration.seconds(1), e -> liveTick()));
        live.setCycleCount(Timeline.INDEFINITE);
        live.play();
    }

    private int sinceTick;

    private void liveTick() {
        if (!vm.liveProperty().get()) {
            sinceTick = 0;
            return;
        }
        if (++sinceTick >= vm.liveSecondsProperty().get()) {
            sinceTick = 0;
            vm.liveTick();
        }
    }

    private void showDetail(HostRow row) {
        if (row == null || row.reportProperty().get() == null) {
            detail.show(null, null);
            return;
        }
        detail.show(new HostDetailViewModel(row.reportProperty().get()), vm.session(row.reportProperty().get()));
    }

    private MenuBar menuBar() {
        MenuItem open = item("Open snapshot…", "Shortcut+O", e -> chooseOpen());
        MenuItem save = item("Save snapshot…", "Shortcut+S", e -> chooseSave(false));
        save.disableProperty().bind(vm.lastReportProperty().isNull());
        MenuItem saveRedacted = item("Save redacted snapshot (for sharing)…", "Shortcut+Shift+S", e -> chooseSave(true));
        saveRedacted.setId("saveRedacted");
        saveRedacted.disableProperty().bind(vm.lastReportProperty().isNull());
        MenuItem quit = item("Quit", "Shortcut+Q", e -> getScene().getWindow().hide());
        MenuItem export = item("Export report…", "Shortcut+E", e -> ReportDialog.run(getScene().getWindow(), vm));
        export.setId("exportReport");
        export.disableProperty().bind(vm.lastReportProperty().isNull());
        Menu file = new Menu("File", null, open, save, saveRedacted, export, new SeparatorMenuItem(), quit);
        file.setId("fileMenu");
        MenuItem refresh = item("Scan now", "F5", e -> vm.scan());
        MenuItem find = item("Find host", "Shortcut+F", e -> filter.requestFocus());
        MenuItem next = item("Next finding", "Shortcut+N", e -> detail.nextFinding());
        MenuItem live = item("Live mode on/off", "Shortcut+L", e -> vm.liveProperty().set(!vm.liveProperty().get()));
        MenuItem fixItem = item("Fix memory limits…", "Shortcut+Shift+F", e -> openFixWizard());
        MenuItem dark = item("Dark theme", "Shortcut+D", e -> themeSwitch.accept(true));
        MenuItem light = item("Light theme", null, e -> themeSwitch.accept(false));
        Menu view = new Menu("View", null, refresh, find, next, live, fixItem, new SeparatorMenuItem(), light, dark);
        MenuItem demo = item("Open demo cluster", null, e -> vm.openDemo());
        demo.setId("openDemo");
        MenuItem about = item("About Headroom", null, e -> vm.statusProperty().set(
                "Headroom " + io.headroom.engine.HeadroomVersion.get() + " — memory headroom for Dask clusters. Apache-2.0."));
        Menu help = new Menu("Help", null, demo, about);
        help.setId("helpMenu");
        return new MenuBar(file, view, help);
    }

    private static MenuItem item(String text, String accel, javafx.event.EventHandler<javafx.event.ActionEvent> h) {
        MenuItem m = new MenuItem(text);
        if (accel != null) {
            m.setAccelerator(KeyCombination.keyCombination(accel));
        }
        m.setOnAction(h);
        return m;
    }

    /** Opens the fix wizard for the selected host (disabled inside, with the reason, when changes are not possible). */
    void openFixWizard() {
        if (vm.lastReportProperty().get() != null) {
            FixWizardView.show(getScene().getWindow(), vm.fixWizard());
        }
    }

    private ToolBar toolBar() {
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
        fix.setOnAction(e -> openFixWizard());
        Label readOnly = new Label("READ-ONLY", new FontIcon(Feather.LOCK));
        readOnly.setId("readOnly");
        readOnly.setTooltip(new Tooltip("Nothing is written to the VMs and nothing is restarted. Scans only read."));
        readOnly.visibleProperty().bind(vm.readOnlyProperty());
        readOnly.setStyle("-fx-text-fill: -color-success-fg; -fx-font-weight: bold; -fx-padding: 2 8 2 8;"
                + " -fx-border-color: -color-success-emphasis; -fx-border-radius: 4;");
        Label source = new Label();
        source.setId("source");
        source.textProperty().bind(vm.sourceTextProperty());
        source.visibleProperty().bind(vm.sourceTextProperty().isNotEmpty());
        Tooltip sourceTip = new Tooltip();
        sourceTip.textProperty().bind(vm.reportSourceProperty());
        source.setTooltip(sourceTip);
        source.setStyle("-fx-text-fill: -color-fg-emphasis; -fx-background-color: -color-accent-emphasis; -fx-font-weight: bold;"
                + " -fx-padding: 2 8 2 8; -fx-background-radius: 4;");
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        return new ToolBar(scan, cancel, live, fix, progress, filter, grow, source, readOnly);
    }

    private VBox sidebar() {
        Label title = new Label("Clusters");
        title.getStyleClass().add("title-4");
        ListView<MainViewModel.ClusterItem> list = new ListView<>(vm.clusters());
        list.setId("clusters");
        list.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b != null && b != vm.selectedClusterProperty().get()) {
                vm.selectedClusterProperty().set(b);
            }
        });
        vm.selectedClusterProperty().addListener((o, a, b) -> list.getSelectionModel().select(b));
        list.setCellFactory(v -> new javafx.scene.control.ListCell<>() {
            @Override
            protected void updateItem(MainViewModel.ClusterItem item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : item.name() + "  (" + item.targets().size() + ")");
                setGraphic(empty || item == null ? null : new FontIcon(item.cluster() == null ? Feather.MONITOR : Feather.SERVER));
            }
        });
        Button add = iconButton(Feather.PLUS, "Add a cluster", e -> ClusterDialog.create(null, List.of()).showAndWait().ifPresent(vm::addCluster));
        add.setId("addCluster");
        Button edit = iconButton(Feather.EDIT_2, "Edit the selected cluster", e -> {
            var item = vm.selectedClusterProperty().get();
            if (item != null && item.cluster() != null) {
                ClusterDialog.create(item.cluster(), List.of()).showAndWait().ifPresent(c -> vm.updateCluster(item.name(), c));
            }
        });
        Button remove = iconButton(Feather.TRASH_2, "Remove the selected cluster", e -> vm.removeCluster(vm.selectedClusterProperty().get()));
        Button importSsh = iconButton(Feather.DOWNLOAD, "Import hosts from ~/.ssh/config", e -> importFromSshConfig());
        Button discover = iconButton(Feather.SEARCH, "Discover workers from a Dask scheduler URL", e -> discover());
        HBox buttons = new HBox(4, add, edit, remove, importSsh, discover);
        VBox box = new VBox(8, title, list, buttons);
        VBox.setVgrow(list, Priority.ALWAYS);
        box.setPadding(new Insets(10));
        box.setPrefWidth(230);
        return box;
    }

    private static Button iconButton(Feather icon, String tip, javafx.event.EventHandler<javafx.event.ActionEvent> h) {
        Button b = new Button(null, new FontIcon(icon));
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(h);
        b.getStyleClass().add("flat");
        return b;
    }

    private void importFromSshConfig() {
        Path cfg = Path.of(System.getProperty("user.home"), ".ssh", "config");
        List<String> aliases;
        try {
            aliases = Files.isReadable(cfg) ? SshConfigHosts.aliases(Files.readString(cfg)) : List.of();
        } catch (java.io.IOException e) {
            aliases = List.of();
        }
        if (aliases.isEmpty()) {
            vm.statusProperty().set("No host aliases found in " + cfg);
            return;
        }
        ClusterDialog.create(null, aliases).showAndWait().ifPresent(vm::addCluster);
    }

    private void discover() {
        TextInputDialog url = new TextInputDialog("http://scheduler:8787");
        url.setTitle("Discover workers");
        url.setHeaderText("The Dask scheduler's dashboard URL (it serves /json/identity.json)");
        url.showAndWait().ifPresent(u -> {
            TextInputDialog name = new TextInputDialog("discovered");
            name.setTitle("Discover workers");
            name.setHeaderText("Name of the new cluster");
            name.showAndWait().ifPresent(n -> vm.discover(u.strip(), n.strip()));
        });
    }

    private VBox overview() {
        TableView<HostRow> table = new TableView<>();
        table.setId("hosts");
        javafx.collections.transformation.SortedList<HostRow> sorted = new javafx.collections.transformation.SortedList<>(vm.filteredHosts());
        sorted.comparatorProperty().bind(table.comparatorProperty());
        table.setItems(sorted);
        TableColumn<HostRow, HostRow.Status> status = new TableColumn<>("Status");
        status.setCellValueFactory(d -> d.getValue().statusProperty());
        status.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(HostRow.Status s, boolean empty) {
                super.updateItem(s, empty);
                HostRow row = empty ? null : getTableRow().getItem();
                if (row == null || s == null) {
                    setText(null);
                    setGraphic(null);
                    setTooltip(null);
                    return;
                }
                setText(row.statusTextProperty().get());
                FontIcon icon = new FontIcon(switch (s) {
                    case CRITICAL, UNREACHABLE -> Feather.ALERT_OCTAGON;
                    case WARNING -> Feather.ALERT_TRIANGLE;
                    case INCOMPLETE -> Feather.EYE_OFF;
                    case SCANNING -> Feather.LOADER;
                    case WAITING -> Feather.CLOCK;
                    default -> Feather.CHECK_CIRCLE;
                });
                icon.setIconColor(javafx.scene.paint.Color.web(switch (s) {
                    case CRITICAL, UNREACHABLE -> "#d1242f";
                    case WARNING, INCOMPLETE -> "#bf8700";
                    case OK, INFO -> "#1a7f37";
                    default -> "#8c959f";
                }));
                setGraphic(icon);
                setTooltip(new Tooltip(row.statusTextProperty().get()));
            }
        });
        status.setPrefWidth(110);
        status.setMinWidth(95);
        TableColumn<HostRow, String> host = textColumn("Host", HostRow::targetProperty, 170, 115);
        TableColumn<HostRow, Long> total = bytesColumn("Total", HostRow::memTotalProperty, 95, 90);
        TableColumn<HostRow, Long> avail = bytesColumn("MemAvailable", HostRow::memAvailableProperty, 140, 135);
        avail.setId("memAvailableColumn");
        TableColumn<HostRow, Long> budget = bytesColumn("Budget", HostRow::budgetProperty, 95, 95);
        TableColumn<HostRow, String> limits = textColumn("Σ limits", HostRow::daskLimitsProperty, 100, 95);
        TableColumn<HostRow, io.headroom.model.HostReport> bar = new TableColumn<>("Headroom");
        bar.setCellValueFactory(d -> d.getValue().reportProperty());
        bar.setCellFactory(c -> new HeadroomBarCell());
        bar.setSortable(false);
        bar.setPrefWidth(HeadroomBarCell.WIDTH + 20);
        bar.setMinWidth(HeadroomBarCell.WIDTH + 20); // the bar is drawn at a fixed width: never cut it
        bar.setMaxWidth(HeadroomBarCell.WIDTH + 20);
        TableColumn<HostRow, String> worst = textColumn("Worst finding", HostRow::worstProperty, 240, 125);
        TableColumn<HostRow, String> last = textColumn("Scanned", HostRow::lastScanProperty, 95, 90);
        table.getColumns().addAll(List.of(status, host, total, avail, budget, limits, bar, worst, last));
        // the columns share the table's width (no horizontal scroll bar at the default window size); text too
        // long for its column ends in "…" and shows whole in its tooltip
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        table.setPlaceholder(new Label("No hosts. Add a cluster, or open the demo from Help."));
        table.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b != null) {
                vm.selectedHostProperty().set(b);
            }
        });
        vm.selectedHostProperty().addListener((o, a, b) -> {
            if (b != null && table.getSelectionModel().getSelectedItem() != b) {
                table.getSelectionModel().select(b);
            }
        });
        table.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                showDetail(table.getSelectionModel().getSelectedItem());
            }
        });
        ContextMenu menu = new ContextMenu(item("Copy host", null, e -> copy(table.getSelectionModel().getSelectedItem() == null ? ""
                : table.getSelectionModel().getSelectedItem().target())));
        table.setContextMenu(menu);
        VBox box = new VBox(table);
        VBox.setVgrow(table, Priority.ALWAYS);
        return box;
    }

    /** A size column over raw bytes: sorted by value, shown in binary units, exact bytes on hover. */
    private static TableColumn<HostRow, Long> bytesColumn(String title, Function<HostRow, javafx.beans.value.ObservableValue<Long>> f,
                                                        double width, double minWidth) {
        TableColumn<HostRow, Long> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> f.apply(d.getValue()));
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(Long bytes, boolean empty) {
                super.updateItem(bytes, empty);
                setText(empty ? null : bytes == null ? "–" : Bytes.human(bytes));
                setTooltip(empty || bytes == null ? null : new Tooltip(String.format(java.util.Locale.ROOT, "%,d bytes", bytes)));
            }
        });
        c.setPrefWidth(width);
        c.setMinWidth(minWidth); // wide enough for its header and "1023.99 GiB"
        return c;
    }

    private static void copy(String s) {
        javafx.scene.input.ClipboardContent c = new javafx.scene.input.ClipboardContent();
        c.putString(s);
        javafx.scene.input.Clipboard.getSystemClipboard().setContent(c);
    }

    private static TableColumn<HostRow, String> textColumn(String title, Function<HostRow, javafx.beans.value.ObservableValue<String>> f,
                                                          double width, double minWidth) {
        TableColumn<HostRow, String> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> f.apply(d.getValue()));
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(String text, boolean empty) {
                super.updateItem(text, empty);
                setText(empty ? null : text);
                setTooltip(empty || text == null || text.isEmpty() ? null : new Tooltip(text));
            }
        });
        c.setPrefWidth(width);
        c.setMinWidth(minWidth);
        return c;
    }

    /** MemTotal as the cell width: green MemAvailable, blue Σ Dask limits, red mark at the budget. */
    private static final class HeadroomBarCell extends TableCell<HostRow, io.headroom.model.HostReport> {
        /** The bar's width in pixels. */
        static final double WIDTH = 130;
        /** The bar's height in pixels. */
        static final double BAR_H = 16;

        @Override
        protected void updateItem(io.headroom.model.HostReport report, boolean empty) {
            super.updateItem(report, empty);
            HostRow row = empty ? null : getTableRow().getItem();
            if (empty || row == null || report == null || !report.scanned()) {
                setGraphic(null);
                return;
            }
            double w = WIDTH;
            // 16 px: readable at the default row height (was 10 with a 4 px limits bar)
            Rectangle bg = new Rectangle(w, BAR_H);
            bg.setStyle("-fx-fill: -color-bg-subtle; -fx-stroke: -color-border-default;");
            Rectangle avail = new Rectangle(w * row.availableFractionProperty().get(), BAR_H);
            avail.setTranslateX(w - avail.getWidth());
            avail.setStyle("-fx-fill: -color-success-muted;");
            Rectangle limits = new Rectangle(w * row.limitsFractionProperty().get(), BAR_H / 2);
            limits.setTranslateY(BAR_H / 4);
            limits.setStyle("-fx-fill: -color-accent-emphasis;");
            double bx = w * row.budgetFractionProperty().get();
            Line budget = new Line(bx, -2, bx, BAR_H + 2);
            budget.setStyle("-fx-stroke: -color-danger-emphasis; -fx-stroke-width: 2;");
            Pane p = new Pane(bg, avail, limits, budget);
            p.setId("headroomBar");
            p.setPrefSize(w, BAR_H + 2);
            Tooltip.install(p, new Tooltip(row.headroomBarTooltip()));
            setGraphic(new StackPane(p));
        }
    }

    private HBox statusBar() {
        Label status = new Label();
        status.setId("status");
        status.textProperty().bind(vm.statusProperty());
        HBox bar = new HBox(10, status);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(4, 10, 4, 10));
        bar.setStyle("-fx-border-color: -color-border-default; -fx-border-width: 1 0 0 0;");
        return bar;
    }

    private void chooseOpen() {
        FileChooser fc = snapshotChooser("Open snapshot");
        java.io.File f = fc.showOpenDialog(getScene().getWindow());
        if (f != null) {
            vm.openSnapshot(f.toPath());
        }
    }

    private void chooseSave(boolean redacted) {
        FileChooser fc = snapshotChooser(redacted ? "Save redacted snapshot (hostnames, IPs and users replaced)" : "Save snapshot");
        fc.setInitialFileName(redacted ? "scan-redacted.headroom.json" : "scan.headroom.json");
        java.io.File f = fc.showSaveDialog(getScene().getWindow());
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

    /** Keyboard shortcuts that are not on a menu item. */
    public void installShortcuts() {
        getScene().getAccelerators().put(new KeyCodeCombination(KeyCode.ESCAPE), vm::cancel);
    }
}
