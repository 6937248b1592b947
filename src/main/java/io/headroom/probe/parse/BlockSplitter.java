package io.headroom.probe.parse;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Splits the probe's sub-blocks: a header line {@code --- NAME} followed by the block's content.
 * A header {@code --- NAME unavailable} yields no entry.
 */
final class BlockSplitter {
    private BlockSplitter() {
    }

    static Map<String, String> split(String text) {
        Map<String, String> blocks = new LinkedHashMap<>();
        String current = null;
        StringBuilder body = new StringBuilder();
        for (String rawLine : text.split("\n", -1)) {
            String line = rawLine.endsWith("\r") ? rawLine.substring(0, rawLine.length() - 1) : rawLine;
            if (line.startsWith("--- ")) {
                if (current != null) {
                    blocks.put(current, trimEnd(body));
                }
                body.setLength(0);
                String header = line.substring(4);
                current = header.endsWith(" unavailable") ? null : header;
                continue;
            }
            if (current != null) {
                body.append(line).append('\n');
            }
        }
        if (current != null) {
            blocks.put(current, trimEnd(body));
        }
        return blocks;
    }

    private static String trimEnd(StringBuilder sb) {
        int end = sb.length();
        while (end > 0 && Character.isWhitespace(sb.charAt(end - 1))) {
            end--;
        }
        return sb.substring(0, end);
    }
}
