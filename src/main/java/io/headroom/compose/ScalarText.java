package io.headroom.compose;

import io.headroom.compose.YamlTree.Style;

/** A value written as YAML scalar text: in the style of the value it replaces, quoted where plain would not parse back. */
final class ScalarText {
    private ScalarText() {
    }

    /** The value as YAML text in the given style; quoted when a plain scalar would not do. */
    static String render(String v, Style style, boolean inFlow, boolean mustBeString) {
        return switch (style) {
            case SINGLE -> "'" + v.replace("'", "''") + "'";
            case DOUBLE -> "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            default -> {
                if ((mustBeString && v.matches("[0-9]+")) || !plainSafe(v, inFlow)) {
                    yield "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
                }
                yield v;
            }
        };
    }

    static boolean plainSafe(String v, boolean inFlow) {
        if (v.isEmpty() || v.matches("[0-9]+")) {
            return !v.isEmpty();
        }
        if ("-?:,[]{}#&*!|>'\"%@`".indexOf(v.charAt(0)) >= 0) {
            return false;
        }
        if (v.contains(": ") || v.contains(" #") || v.endsWith(":") || v.endsWith(" ") || v.startsWith(" ")) {
            return false;
        }
        if (inFlow) {
            for (char c : ",[]{}".toCharArray()) {
                if (v.indexOf(c) >= 0) {
                    return false;
                }
            }
        }
        return true;
    }
}
