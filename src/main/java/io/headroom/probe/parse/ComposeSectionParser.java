package io.headroom.probe.parse;

import io.headroom.model.ComposeFile;


/**
 * Parses a {@code compose-file} section: the first line is the hex SHA-256 the host computed, the
 * rest the file. The section frame cannot tell whether the file ended with a newline, so the one
 * that makes the content match the host's hash is restored: content round-trips byte for byte.
 */
public final class ComposeSectionParser {
    private ComposeSectionParser() {
    }

    public static ComposeFile parse(String path, String text, boolean truncated) {
        int nl = text.indexOf('\n');
        String sha = (nl < 0 ? text : text.substring(0, nl)).strip();
        if (!sha.matches("[0-9a-f]{64}")) {
            throw new UnreadableSectionException("no SHA-256 before the compose file content");
        }
        String content = nl < 0 ? "" : text.substring(nl + 1);
        if (!truncated && !sha256(content).equals(sha) && sha256(content + "\n").equals(sha)) {
            content = content + "\n";
        }
        return new ComposeFile(path, sha, content, truncated);
    }

    static String sha256(String s) {
        return io.headroom.model.Sha256.hex(s);
    }
}
