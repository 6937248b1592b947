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
 *
 * <p>The cell builds its nodes and styles once and only moves them on an update: at 1000 targets in live mode a
 * new pane of four styled shapes per update was CSS matching and layout on the FX thread for every visible row
 * (docs/performance.md Round 9).
 */
final class HeadroomBarCell extends TableCell<HostRow, HostReport> {
    /** The bar's width in pixels. */
    static final double WIDTH = 130;
    /** The bar's height in pixels. */
    static final double BAR_H = 16;
    private final Tooltip tip = new Tooltip();
    private final Rectangle avail = new Rectangle(0, BAR_H);
    private final Rectangle limits = new Rectangle(0, BAR_H / 2);
    private final Line budget = new Line(0, -2, 0, BAR_H + 2);
    private final StackPane graphic;

    HeadroomBarCell() {
        // 16 px: readable at the default row height (was 10 with a 4 px limits bar)
        Rectangle bg = new Rectangle(WIDTH, BAR_H);
        bg.setStyle("-fx-fill: -color-bg-subtle; -fx-stroke: -color-border-default;");
        avail.setStyle("-fx-fill: -color-success-muted;");
        limits.setTranslateY(BAR_H / 4);
        limits.setStyle("-fx-fill: -color-accent-emphasis;");
        budget.setStyle("-fx-stroke: -color-danger-emphasis; -fx-stroke-width: 2;");
        Pane p = new Pane(bg, avail, limits, budget);
        p.setId("headroomBar");
        p.setPrefSize(WIDTH, BAR_H + 2);
        // one Tooltip per cell (CellTooltips): a new one per update built a popup scene each time
        Tooltip.install(p, tip);
        graphic = new StackPane(p);
    }

    @Override
    protected void updateItem(HostReport report, boolean empty) {
        super.updateItem(report, empty);
        HostRow row = empty ? null : getTableRow().getItem();
        if (empty || row == null || report == null || !report.scanned()) {
            setGraphic(null);
            return;
        }
        double aw = WIDTH * row.availableFractionProperty().get();
        avail.setWidth(aw);
        avail.setTranslateX(WIDTH - aw);
        limits.setWidth(WIDTH * row.limitsFractionProperty().get());
        double bx = WIDTH * row.budgetFractionProperty().get();
        budget.setStartX(bx);
        budget.setEndX(bx);
        tip.setText(row.headroomBarTooltip());
        if (getGraphic() != graphic) {
            setGraphic(graphic);
        }
    }
}
