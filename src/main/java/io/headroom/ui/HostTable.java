package io.headroom.ui;

import io.headroom.model.HostReport;
import io.headroom.model.ScanReport;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The overview table's state: one {@link HostRow} per target, the rows the filter text lets through
 * (matched case-insensitively against the target, the status text and the worst finding), and the
 * selected row. Changed on the UI thread only.
 */
final class HostTable {
    private final ObservableList<HostRow> rows = FXCollections.observableArrayList();
    private final FilteredList<HostRow> filtered = new FilteredList<>(rows);
    private final StringProperty filter = new SimpleStringProperty("");
    private final ObjectProperty<HostRow> selected = new SimpleObjectProperty<>();

    HostTable() {
        filter.addListener((obs, old, now) -> {
            String f = now == null ? "" : now.strip().toLowerCase(Locale.ROOT);
            filtered.setPredicate(r -> f.isEmpty() || r.target().toLowerCase(Locale.ROOT).contains(f)
                    || r.statusTextProperty().get().toLowerCase(Locale.ROOT).contains(f)
                    || r.worstProperty().get().toLowerCase(Locale.ROOT).contains(f));
        });
    }

    /** One waiting row per target; the first selected. */
    void showTargets(List<String> targets) {
        setRows(targets.stream().map(HostRow::new).toList());
    }

    /** One row per host of {@code r}, showing its report; nothing selected until {@link #selectFirst()}. */
    void showScan(ScanReport r) {
        List<HostRow> shown = new ArrayList<>();
        for (HostReport h : r.hosts()) {
            HostRow row = new HostRow(h.target());
            row.show(h, r.startedEpochMillis());
            shown.add(row);
        }
        rows.setAll(shown);
    }

    /** Selects the first row, or nothing when there are none. */
    void selectFirst() {
        selected.set(rows.isEmpty() ? null : rows.get(0));
    }

    /** Selects the selected row again (or the first), so that views of the selection show its new report. */
    void refreshSelection() {
        HostRow sel = selected.get();
        selected.set(null);
        selected.set(sel != null ? sel : rows.isEmpty() ? null : rows.get(0));
    }

    private void setRows(List<HostRow> newRows) {
        rows.setAll(newRows);
        selectFirst();
    }

    ObservableList<HostRow> rows() {
        return rows;
    }

    FilteredList<HostRow> filtered() {
        return filtered;
    }

    StringProperty filter() {
        return filter;
    }

    ObjectProperty<HostRow> selected() {
        return selected;
    }
}
