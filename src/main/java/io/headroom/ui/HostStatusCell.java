package io.headroom.ui;

import javafx.scene.control.TableCell;
import javafx.scene.control.Tooltip;
import javafx.scene.paint.Color;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The overview's status cell: the row's status text with an icon coloured by severity, the text again on hover.
 * The cell keeps one icon and changes its glyph and colour: a new {@link FontIcon} per update was a new styled
 * text node (CSS, font lookup, layout) for every visible row on every live refresh (docs/performance.md Round 9).
 */
final class HostStatusCell extends TableCell<HostRow, HostRow.Status> {
    private final Tooltip tip = new Tooltip();
    private final FontIcon icon = new FontIcon(Feather.CLOCK);
    private HostRow.Status shown;

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
        if (s != shown) {
            show(s);
        }
        if (getGraphic() != icon) {
            setGraphic(icon);
        }
        CellTooltips.show(this, tip, row.statusTextProperty().get());
    }

    private void show(HostRow.Status s) {
        shown = s;
        icon.setIconCode(switch (s) {
            case CRITICAL, UNREACHABLE -> Feather.ALERT_OCTAGON;
            case WARNING -> Feather.ALERT_TRIANGLE;
            case INCOMPLETE -> Feather.EYE_OFF;
            case SCANNING -> Feather.LOADER;
            case WAITING -> Feather.CLOCK;
            default -> Feather.CHECK_CIRCLE;
        });
        icon.setIconColor(Color.web(switch (s) {
            case CRITICAL, UNREACHABLE -> "#d1242f";
            case WARNING, INCOMPLETE -> "#bf8700";
            case OK, INFO -> "#1a7f37";
            default -> "#8c959f";
        }));
    }
}
