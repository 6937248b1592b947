package io.headroom.probe.parse;

import io.headroom.model.ComposeFile;

/** Parses a {@code compose-file} section: the first line is the hex SHA-256, the rest the file. */
public final class ComposeSectionParser {
    private ComposeSectionParser() {
    }

    public static ComposeFile parse(String path, String text, boolean truncated) {
        int nl = text.indexOf('\n');
        String sha = (nl < 0 ? text : text.substring(0, nl)).strip();
        if (!sha.matches("[0-9a-f]{64}")) {
            throw new UnreadableSectionException("no SHA-256 before the compose file content");
        }
        return new ComposeFile(path, sha, nl < 0 ? "" : text.substring(nl + 1), truncated);
    }
}
