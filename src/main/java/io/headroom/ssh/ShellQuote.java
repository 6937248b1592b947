package io.headroom.ssh;

/**
 * POSIX shell quoting for values that reach a remote shell (paths from container labels, service
 * names): single quotes, with each embedded {@code '} written as {@code '\''}. Newlines and NULs are
 * refused: no legitimate compose path or service name has them.
 */
public final class ShellQuote {
    private ShellQuote() {
    }

    public static String quote(String value) {
        if (value.indexOf('\0') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("refusing a value with a newline or NUL for the remote shell");
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
