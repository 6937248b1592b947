package io.headroom.ssh;

/**
 * A target as the user wrote it: {@code [user@]host[:port]}, an alias from {@code ~/.ssh/config},
 * or {@code [user@][ipv6]:port}.
 *
 * @param text the original text
 * @param user the user part, or null
 * @param host the host or alias
 * @param port the port, or null when not given
 */
public record SshTarget(String text, String user, String host, Integer port) {
    /** @throws IllegalArgumentException with a plain-words reason for a malformed target */
    public static SshTarget parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty target");
        }
        if (text.chars().anyMatch(c -> c <= ' ' || c == '\'' || c == '"' || c == '`' || c == '$' || c == ';' || c == '\\')) {
            throw new IllegalArgumentException("target '" + text.strip() + "' contains spaces, quotes or shell characters");
        }
        String rest = text;
        String user = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            user = rest.substring(0, at);
            rest = rest.substring(at + 1);
            if (user.isEmpty()) {
                throw new IllegalArgumentException("target '" + text + "' has an empty user");
            }
        }
        String host = rest;
        Integer port = null;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("target '" + text + "' has an unclosed [");
            }
            host = rest.substring(1, close);
            String after = rest.substring(close + 1);
            if (after.startsWith(":")) {
                port = parsePort(text, after.substring(1));
            } else if (!after.isEmpty()) {
                throw new IllegalArgumentException("target '" + text + "' is malformed after ]");
            }
        } else {
            int colon = rest.indexOf(':');
            if (colon >= 0 && rest.indexOf(':', colon + 1) < 0) {
                host = rest.substring(0, colon);
                port = parsePort(text, rest.substring(colon + 1));
            }
        }
        if (host.isEmpty() || host.startsWith("-")) {
            throw new IllegalArgumentException("target '" + text + "' has no host");
        }
        return new SshTarget(text, user, host, port);
    }

    private static int parsePort(String text, String p) {
        try {
            int port = Integer.parseInt(p);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("target '" + text + "' has an invalid port '" + p + "'");
        }
    }
}
