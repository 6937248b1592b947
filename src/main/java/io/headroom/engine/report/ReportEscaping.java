package io.headroom.engine.report;

/**
 * Escaping for the report formats: every string that came from a VM (names, kernel lines, messages
 * quoting them) goes through {@link #md} or {@link #html}, so a hostile container name cannot inject
 * markup or script, nor reorder text with bidi controls.
 */
final class ReportEscaping {
    private ReportEscaping() {
    }

    /** Control characters and bidi overrides replaced by U+FFFD, newlines kept only when asked. */
    static String clean(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            boolean control = (cp < 0x20 && cp != '\t' && cp != '\n') || (cp >= 0x7f && cp < 0xa0)
                    || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029;
            b.appendCodePoint(control ? 0xfffd : cp);
        });
        return b.toString();
    }

    /**
     * Inline Markdown text: one line, HTML special characters as entities (Markdown passes raw HTML
     * through), Markdown punctuation backslash-escaped so nothing becomes a link, image, emphasis,
     * code span or table cell break.
     */
    static String md(String s) {
        String one = clean(s).replace('\n', ' ').replace('\t', ' ');
        StringBuilder b = new StringBuilder(one.length() + 16);
        for (int i = 0; i < one.length(); i++) {
            char c = one.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '\\', '`', '*', '_', '[', ']', '|', '~', '#' -> b.append('\\').append(c);
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** HTML text or attribute value (double- or single-quoted). */
    static String html(String s) {
        String t = clean(s);
        StringBuilder b = new StringBuilder(t.length() + 16);
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** The length of the longest run of {@code c} in {@code s}, e.g. to pick a Markdown code fence longer than it. */
    static int longestRun(String s, char c) {
        int best = 0;
        int run = 0;
        for (int i = 0; i < s.length(); i++) {
            run = s.charAt(i) == c ? run + 1 : 0;
            best = Math.max(best, run);
        }
        return best;
    }
}
