package io.headroom.ui;

import io.headroom.model.Bytes;
import io.headroom.model.HostReport;
import javafx.beans.value.ObservableValue;
import javafx.collections.transformation.SortedList;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The overview: one sortable row per host of the filtered list, its selection kept in step with the
 * ViewModel's, sizes shown in binary units with the exact bytes on hover, the inline headroom bar, and
 * "Copy host" on the context menu.
 */
final class HostOverviewTable {
    private HostOverviewTable() {
    }

    /** The table in a growing box; Enter on a row hands it to {@code onEnter}. */
    static VBox create(MainViewModel vm, Consumer<HostRow> onEnter) {
        TableView<HostRow> table = new TableView<>();
        table.setId("hosts");
        SortedList<HostRow> sorted = new SortedList<>(vm.filteredHosts());
        sorted.comparatorProperty().bind(table.comparatorProperty());
        table.setItems(sorted);
        TableColumn<HostRow, HostRow.Status> status = new TableColumn<>("Status");
        status.setCellValueFactory(d -> d.getValue().statusProperty());
        status.setCellFactory(c -> new HostStatusCell());
        status.setPrefWidth(110);
        status.setMinWidth(95);
        TableColumn<HostRow, String> host = textColumn("Host", HostRow::targetProperty, 170, 115);
        TableColumn<HostRow, Long> total = bytesColumn("Total", HostRow::memTotalProperty, 95, 90);
        TableColumn<HostRow, Long> avail = bytesColumn("MemAvailable", HostRow::memAvailableProperty, 140, 135);
        avail.setId("memAvailableColumn");
        TableColumn<HostRow, Long> budget = bytesColumn("Budget", HostRow::budgetProperty, 95, 95);
        TableColumn<HostRow, String> limits = textColumn("Σ limits", HostRow::daskLimitsProperty, 100, 95);
        TableColumn<HostRow, HostReport> bar = new TableColumn<>("Headroom");
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
                onEnter.accept(table.getSelectionModel().getSelectedItem());
            }
        });
        ContextMenu menu = new ContextMenu(MainMenuBar.item("Copy host", null, e -> copy(table.getSelectionModel().getSelectedItem() == null
                ? "" : table.getSelectionModel().getSelectedItem().target())));
        table.setContextMenu(menu);
        VBox box = new VBox(table);
        VBox.setVgrow(table, Priority.ALWAYS);
        return box;
    }

    /** A size column over raw bytes: sorted by value, shown in binary units, exact bytes on hover. */
    private static TableColumn<HostRow, Long> bytesColumn(String title, Function<HostRow, ObservableValue<Long>> f,
                                                        double width, double minWidth) {
        // wide enough for its header and "1023.99 GiB"
        return column(title, f, width, minWidth, bytes -> bytes == null ? "–" : Bytes.human(bytes),
                bytes -> bytes == null ? null : String.format(Locale.ROOT, "%,d bytes", bytes));
    }

    /** A text column; text too long for the column shows whole on hover. */
    private static TableColumn<HostRow, String> textColumn(String title, Function<HostRow, ObservableValue<String>> f,
                                                          double width, double minWidth) {
        return column(title, f, width, minWidth, text -> text, text -> text == null || text.isEmpty() ? null : text);
    }

    /** A column of a row's value shown as {@code text}, with {@code tooltip} on hover (none when it gives null). */
    private static <T> TableColumn<HostRow, T> column(String title, Function<HostRow, ObservableValue<T>> f, double width,
            double minWidth, Function<T, String> text, Function<T, String> tooltip) {
        TableColumn<HostRow, T> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> f.apply(d.getValue()));
        c.setCellFactory(col -> new TableCell<>() {
            private final Tooltip tip = new Tooltip();

            @Override
            protected void updateItem(T value, boolean empty) {
                super.updateItem(value, empty);
                setText(empty ? null : text.apply(value));
                CellTooltips.show(this, tip, empty ? null : tooltip.apply(value));
            }
        });
        c.setPrefWidth(width);
        c.setMinWidth(minWidth);
        return c;
    }

    private static void copy(String s) {
        ClipboardContent c = new ClipboardContent();
        c.putString(s);
        Clipboard.getSystemClipboard().setContent(c);
    }
}
