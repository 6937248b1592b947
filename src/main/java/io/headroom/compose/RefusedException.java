package io.headroom.compose;

/** Internal: an edit that cannot be made safely. Turned into {@link EditResult.Refused} at the API. */
final class RefusedException extends RuntimeException {
    final int line;
    final String path;

    RefusedException(String reason, int line) {
        this(reason, null, line);
    }

    RefusedException(String reason, String path, int line) {
        super(reason, null, false, false);
        this.line = line;
        this.path = path;
    }

    RefusedException in(String filePath) {
        return path != null ? this : new RefusedException(getMessage(), filePath, line);
    }
}
