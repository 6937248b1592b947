package io.headroom.ui;

import io.headroom.model.HostReport;
import javafx.scene.control.TableCell;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Pane;
import javafx.scene.layout.StackPane;
import javafx.scene.shape.Line;
import javafx.scene.shape.Rectangle;

/**
 * The overview's inline headroom bar: MemTotal as the cell width, green MemAvailable, blue Σ Dask
 * limits, red mark at the budget; the exact bytes in its tooltip.
 */
final class HeadroomBarCell extends TableCell<HostRow, HostReport> {
    /** The bar's width in pixels. */
    static final double WIDTH = 130;
    /** The bar's height in pixels. */
    static final double BAR_H = 16;
    private final Tooltip tip = new Tooltip();

    @Override
    protected void updateItem(HostReport report, boolean empty) {
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
        // one Tooltip per cell (CellTooltips): a new one per update built a popup scene each time
        tip.setText(row.headroomBarTooltip());
        Tooltip.install(p, tip);
        setGraphic(new StackPane(p));
    }
}
