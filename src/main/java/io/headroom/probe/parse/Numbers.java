package io.headroom.probe.parse;

/** Small, strict number helpers for kernel files. */
public final class Numbers {
    private Numbers() {
    }

    /** A decimal long, or null when the text is not one (including overflow). */
    public static Long parseLongOrNull(String text) {
        if (text == null) {
            return null;
        }
        String s = text.strip();
        if (s.isEmpty() || s.length() > 20) {
            return null;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
