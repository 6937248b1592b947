package io.headroom.compose;

import java.util.List;

/**
 * The result for one input file.
 *
 * @param path    as given in {@link ComposeSource#path()}
 * @param index   position in the request's file list
 * @param before  the original text
 * @param after   the new text (identical to before when nothing had to change)
 * @param changes what changed, in file order
 */
public record FileEdit(String path, int index, String before, String after, List<KeyChange> changes) {
    public FileEdit {
        changes = List.copyOf(changes);
    }

    public boolean changed() {
        return !before.equals(after);
    }

    /** Unified diff (3 lines of context) of this file, empty when unchanged. */
    public String diff() {
        return ComposeDiff.unified(path, before, after);
    }
}
