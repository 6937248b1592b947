package io.headroom.compose;

import io.headroom.model.ComposeFile;

import java.util.Objects;

/**
 * One compose file as text, as named by the {@code com.docker.compose.project.config_files} label
 * (list all of them, in that order, for merge semantics).
 *
 * @param path      the path on the host (used in messages, diffs and results only; never opened)
 * @param text      the whole file
 * @param truncated true when the text is incomplete (the probe capped it): such a file is refused
 */
public record ComposeSource(String path, String text, boolean truncated) {
    public ComposeSource {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(text, "text");
    }

    public ComposeSource(String path, String text) {
        this(path, text, false);
    }

    /** From what the probe read on the host. */
    public static ComposeSource of(ComposeFile file) {
        return new ComposeSource(file.path(), file.content(), file.truncated());
    }
}
