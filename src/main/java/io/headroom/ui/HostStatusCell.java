package io.headroom.ui;

import javafx.css.PseudoClass;
import javafx.scene.control.TableCell;
import javafx.scene.control.Tooltip;
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
        Severity severity = Severity.of(s);
        for (Severity v : Severity.values()) {
            icon.pseudoClassStateChanged(v.pseudoClass, v == severity);
        }
    }

    /**
     * A status's colour is AtlantaFX's icon pseudo-class (`.ikonli-font-icon:danger { -fx-fill; -fx-icon-color }`,
     * the theme's emphasis colours, so the dark theme gets its own). {@link FontIcon#setIconColor} lost to the
     * theme's `.ikonli-font-icon { -fx-fill: -color-fg-default }` and left every status icon in the text colour;
     * an inline style would replace the font family Ikonli keeps in the node's style and draw a missing glyph.
     */
    enum Severity {
        DANGER, WARNING, SUCCESS;

        final PseudoClass pseudoClass = PseudoClass.getPseudoClass(name().toLowerCase(java.util.Locale.ROOT));

        /** The status's severity; null for the neutral ones (waiting, scanning), drawn in the text colour. */
        static Severity of(HostRow.Status s) {
            return switch (s) {
                case CRITICAL, UNREACHABLE -> DANGER;
                case WARNING, INCOMPLETE -> WARNING;
                case OK, INFO -> SUCCESS;
                default -> null;
            };
        }

        /** The theme's looked-up colour behind the pseudo-class. */
        String lookedUpColour() {
            return "-color-" + name().toLowerCase(java.util.Locale.ROOT) + "-emphasis";
        }
    }
}
