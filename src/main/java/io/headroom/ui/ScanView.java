package io.headroom.ui;

import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Rectangle;

import java.util.function.Function;

/** The scan screen, built in code; it only binds to {@link ScanViewModel}. */
public final class ScanView extends BorderPane {
    public ScanView(ScanViewModel vm) {
        getStyleClass().add("scan-view");
        setPadding(new Insets(16));

        Label title = new Label("Headroom");
        title.getStyleClass().add("title-2");
        TextField target = new TextField();
        target.setId("target");
        target.textProperty().bindBidirectional(vm.targetProperty());
        target.setPrefColumnCount(18);
        target.setTooltip(new Tooltip("The machine to scan; 'local' is this one"));
        Button scan = new Button("Scan");
        scan.setId("scan");
        scan.setDefaultButton(true);
        scan.disableProperty().bind(vm.scanningProperty());
        scan.setOnAction(e -> vm.scan());
        Button cancel = new Button("Cancel");
        cancel.setId("cancel");
        cancel.visibleProperty().bind(vm.scanningProperty());
        cancel.managedProperty().bind(cancel.visibleProperty());
        cancel.setOnAction(e -> vm.cancel());
        ProgressIndicator spinner = new ProgressIndicator();
        spinner.setPrefSize(22, 22);
        spinner.visibleProperty().bind(vm.scanningProperty());
        Label status = new Label();
        status.setId("status");
        status.textProperty().bind(vm.statusProperty());
        status.getStyleClass().add("text-muted");
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox header = new HBox(10, title, grow, status, spinner, target, scan, cancel);
        header.setAlignment(Pos.CENTER_LEFT);
        header.setPadding(new Insets(0, 0, 12, 0));
        setTop(header);

        Label hostLine = new Label();
        hostLine.textProperty().bind(vm.hostLineProperty());
        hostLine.getStyleClass().add("text-muted");
        HBox figures = new HBox(28,
                figure("MemTotal", vm.memTotalProperty(), "memTotal", "MemTotal from /proc/meminfo"),
                figure("MemAvailable", vm.memAvailableProperty(), "memAvailable",
                        "MemAvailable from /proc/meminfo: what the kernel can give new work without swapping"),
                figure("Budget for Dask", vm.budgetProperty(), "budget",
                        "MemAvailable + the Dask containers' working set (usage − inactive_file) − reserve"));
        StackPane bar = memoryBar(vm);
        Label legend = new Label("Bar: MemAvailable as a share of MemTotal.  Red mark: what the VM can give Dask"
                + " (the budget). A container limit or Dask restart point beyond the mark will meet the kernel's OOM killer first.");
        legend.setWrapText(true);
        legend.getStyleClass().addAll("text-small", "text-muted");

        TableView<ScanViewModel.ContainerRow> table = new TableView<>(vm.containers());
        table.setId("containers");
        table.getColumns().add(column("Container", ScanViewModel.ContainerRow::name, 170));
        table.getColumns().add(column("Service", ScanViewModel.ContainerRow::service, 80));
        table.getColumns().add(column("Limit", ScanViewModel.ContainerRow::cgroupLimit, 90));
        table.getColumns().add(column("Usage", ScanViewModel.ContainerRow::usage, 90));
        table.getColumns().add(column("Dask limit", ScanViewModel.ContainerRow::daskLimit, 100));
        table.getColumns().add(column("Workers", ScanViewModel.ContainerRow::workers, 75));
        table.getColumns().add(column("Restart at", ScanViewModel.ContainerRow::terminateAt, 95));
        table.getColumns().add(column("OOM kills", ScanViewModel.ContainerRow::oomKills, 85));
        table.getColumns().add(column("Dask budget from", ScanViewModel.ContainerRow::limitSource, 150));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPrefHeight(180);
        Label empty = new Label();
        empty.setId("empty");
        empty.setWrapText(true);
        empty.textProperty().bind(vm.emptyMessageProperty());
        table.setPlaceholder(empty);

        VBox findingsBox = new VBox(8);
        findingsBox.setId("findings");
        vm.findings().addListener((javafx.collections.ListChangeListener<ScanViewModel.FindingRow>) c -> {
            findingsBox.getChildren().setAll(vm.findings().stream().map(ScanView::findingCard).toList());
        });
        Label findingsTitle = new Label("Findings");
        findingsTitle.getStyleClass().add("title-4");
        Label noFindings = new Label("No findings.");
        noFindings.getStyleClass().add("text-muted");
        noFindings.visibleProperty().bind(Bindings.isEmpty(vm.findings()).and(vm.reportProperty().isNotNull()));
        noFindings.managedProperty().bind(noFindings.visibleProperty());

        ListView<String> notes = new ListView<>(vm.notes());
        notes.setId("notes");
        notes.setPrefHeight(90);
        Label notesTitle = new Label("What could not be read");
        notesTitle.getStyleClass().add("title-4");
        notesTitle.visibleProperty().bind(Bindings.isNotEmpty(vm.notes()));
        notes.visibleProperty().bind(notesTitle.visibleProperty());
        notesTitle.managedProperty().bind(notesTitle.visibleProperty());
        notes.managedProperty().bind(notesTitle.visibleProperty());

        VBox body = new VBox(12, hostLine, figures, new VBox(2, bar, legend), table, findingsTitle, noFindings, findingsBox, notesTitle, notes);
        ScrollPane scroll = new ScrollPane(body);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("edge-to-edge");
        setCenter(scroll);
    }

    private static VBox figure(String name, javafx.beans.value.ObservableStringValue value, String id, String tip) {
        Label n = new Label(name);
        n.getStyleClass().add("text-muted");
        Label v = new Label();
        v.setId(id);
        v.getStyleClass().add("title-3");
        v.textProperty().bind(value);
        Tooltip.install(v, new Tooltip(tip));
        return new VBox(2, n, v);
    }

    /** MemTotal as the full width; MemAvailable and the budget as marks on it. */
    private static StackPane memoryBar(ScanViewModel vm) {
        ProgressBar available = new ProgressBar();
        available.setId("availableBar");
        available.progressProperty().bind(vm.availableFractionProperty());
        available.setMaxWidth(Double.MAX_VALUE);
        available.setTooltip(new Tooltip("MemAvailable as a share of MemTotal"));
        Rectangle budgetMark = new Rectangle(3, 18);
        budgetMark.getStyleClass().add("budget-mark");
        budgetMark.setStyle("-fx-fill: -color-danger-emphasis;");
        StackPane bar = new StackPane(available, budgetMark);
        StackPane.setAlignment(budgetMark, Pos.CENTER_LEFT);
        budgetMark.translateXProperty().bind(bar.widthProperty().multiply(vm.budgetFractionProperty()));
        bar.setPadding(new Insets(4, 0, 4, 0));
        return bar;
    }

    private static VBox findingCard(ScanViewModel.FindingRow f) {
        Label head = new Label(f.severity() + " · " + f.code()
                + (f.recommended().isEmpty() ? "" : " · recommended mem_limit " + f.recommended()));
        head.getStyleClass().add(switch (f.severity()) {
            case "CRITICAL" -> "danger";
            case "WARNING" -> "warning";
            default -> "accent";
        });
        head.setStyle("-fx-font-weight: bold;");
        Label msg = new Label(f.message());
        msg.setWrapText(true);
        VBox card = new VBox(4, head, msg);
        card.setPadding(new Insets(8, 10, 8, 10));
        card.setStyle("-fx-background-color: -color-bg-subtle; -fx-background-radius: 6;"
                + " -fx-border-color: -color-border-default; -fx-border-radius: 6;");
        return card;
    }

    private static TableColumn<ScanViewModel.ContainerRow, String> column(
            String title, Function<ScanViewModel.ContainerRow, String> getter, double width) {
        TableColumn<ScanViewModel.ContainerRow, String> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new javafx.beans.property.SimpleStringProperty(getter.apply(d.getValue())));
        c.setPrefWidth(width);
        c.setMinWidth(width);
        return c;
    }
}
