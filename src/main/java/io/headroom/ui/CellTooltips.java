package io.headroom.ui;

import javafx.scene.control.Control;
import javafx.scene.control.Tooltip;

/**
 * One tooltip per table cell, its text set again on each update. A new {@link Tooltip} per update builds a popup
 * window with its own scene and matches CSS for it: in the 1000-target live window that was ~21 % of the FX
 * thread's CPU (JFR, docs/performance.md Round 8). FX thread only.
 */
final class CellTooltips {
    private CellTooltips() {
    }

    /** Shows {@code text} on hover of {@code cell} through its own {@code tip}; none when {@code text} is null. */
    static void show(Control cell, Tooltip tip, String text) {
        if (text == null) {
            cell.setTooltip(null);
            return;
        }
        tip.setText(text);
        if (cell.getTooltip() != tip) {
            cell.setTooltip(tip);
        }
    }
}
