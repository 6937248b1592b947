package io.headroom.probe.parse;

import io.headroom.model.ComposeFile;
import io.headroom.model.Sha256;


/**
 * Parses a {@code compose-file} section: the first line is the hex SHA-256 of the file as it is on
 * the host, then (probes that mask secrets, decision 0019) a space and the SHA-256 of the text sent,
 * whose values that look like secrets the probe replaced by {@link io.headroom.model.Masked#MARKER};
 * the rest is that text. The section frame cannot tell whether the text ended with a newline, so the
 * one that makes it match the file's own hash is restored: a file with nothing masked round-trips byte for
 * byte, even without a final newline (which the masking awk adds to the text it sends). Else the one that
 * matches the sent text's hash is. {@link ComposeFile#sha256()} is always the file's
 * own hash, which the push checks.
 */
public final class ComposeSectionParser {
    private ComposeSectionParser() {
    }

    public static ComposeFile parse(String path, String text, boolean truncated) {
        int nl = text.indexOf('\n');
        String[] header = (nl < 0 ? text : text.substring(0, nl)).strip().split(" ", -1);
        if (header.length > 2 || !header[0].matches("[0-9a-f]{64}") || (header.length == 2 && !header[1].matches("[0-9a-f]{64}"))) {
            throw new UnreadableSectionException("no SHA-256 before the compose file content");
        }
        String sha = header[0];
        String sent = header.length == 2 ? header[1] : sha;
        String content = nl < 0 ? "" : text.substring(nl + 1);
        if (!truncated && !matches(content, sha) && (matches(content + "\n", sha)
                || !matches(content, sent) && matches(content + "\n", sent))) {
            content = content + "\n";
        }
        return new ComposeFile(path, sha, content, truncated);
    }

    private static boolean matches(String text, String sha) {
        return Sha256.hex(text).equals(sha);
    }
}
