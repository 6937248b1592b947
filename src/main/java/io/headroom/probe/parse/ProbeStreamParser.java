package io.headroom.probe.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits probe output into sections using the caller's nonce. Lines that look like frames but
 * carry another nonce are treated as content: remote data cannot open or close a section.
 */
public final class ProbeStreamParser {
    private ProbeStreamParser() {
    }

    /** Parses {@code text} framed with {@code nonce}. Never throws on malformed input. */
    public static ProbeStream parse(String text, String nonce) {
        String prefix = "==HR:" + nonce + ":";
        List<ProbeSection> sections = new ArrayList<>();
        String openName = null;
        String openSubject = null;
        StringBuilder content = new StringBuilder();
        int version = -1;
        boolean complete = false;
        int stray = 0;
        for (String rawLine : text.split("\n", -1)) {
            // a PTY or a Windows-side tool may turn \n into \r\n: frames and content are read the same
            String line = rawLine.endsWith("\r") ? rawLine.substring(0, rawLine.length() - 1) : rawLine;
            if (line.startsWith(prefix)) {
                String rest = line.substring(prefix.length());
                if (rest.startsWith("begin ")) {
                    if (openName != null) {
                        sections.add(new ProbeSection(openName, openSubject, ProbeSection.Status.UNTERMINATED,
                                "section was not closed", content.toString()));
                    }
                    String[] parts = rest.substring(6).split(" ", 2);
                    openName = parts[0];
                    openSubject = parts.length > 1 ? parts[1] : "-";
                    content.setLength(0);
                    continue;
                }
                if (rest.startsWith("end ") && openName != null) {
                    String[] parts = rest.substring(4).split(" ", 3);
                    String statusWord = parts.length > 1 ? parts[1] : "status=unknown";
                    String reason = parts.length > 2 ? parts[2].strip() : "";
                    ProbeSection.Status status = switch (statusWord) {
                        case "status=ok" -> ProbeSection.Status.OK;
                        case "status=truncated" -> ProbeSection.Status.TRUNCATED;
                        default -> ProbeSection.Status.UNAVAILABLE;
                    };
                    if (status == ProbeSection.Status.TRUNCATED) {
                        reason = "output exceeded the probe's cap (" + reason + ")";
                    }
                    sections.add(new ProbeSection(openName, openSubject, status, reason, stripLastNewline(content)));
                    openName = null;
                    content.setLength(0);
                    continue;
                }
                if (rest.startsWith("done")) {
                    complete = true;
                    int at = rest.indexOf("version=");
                    if (at >= 0) {
                        version = parseIntOr(rest.substring(at + 8).strip(), -1);
                    }
                    continue;
                }
            }
            if (openName != null) {
                content.append(line).append('\n');
            } else if (!line.isEmpty()) {
                stray++;
            }
        }
        if (openName != null) {
            sections.add(new ProbeSection(openName, openSubject, ProbeSection.Status.UNTERMINATED,
                    "output ended inside the section", stripLastNewline(content)));
        }
        return new ProbeStream(version, complete, sections, stray);
    }

    private static String stripLastNewline(StringBuilder sb) {
        int n = sb.length();
        return n > 0 && sb.charAt(n - 1) == '\n' ? sb.substring(0, n - 1) : sb.toString();
    }

    static int parseIntOr(String s, int fallback) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
