package io.headroom.compose;

import java.util.List;

/** Either the edited texts or the reason nothing was edited. */
public sealed interface EditResult permits EditResult.Edited, EditResult.Refused {

    /**
     * The edit, verified: every file re-parses and differs from the original only in the memory keys
     * of the targeted services.
     *
     * @param files one per input file, in order (unchanged ones too)
     * @param notes things the operator should know (where a value was edited and why, inherited
     *              settings not inspected, ...)
     */
    record Edited(List<FileEdit> files, List<String> notes) implements EditResult {
        public Edited {
            files = List.copyOf(files);
            notes = List.copyOf(notes);
        }

        public List<FileEdit> changedFiles() {
            return files.stream().filter(FileEdit::changed).toList();
        }

        /** All diffs, one after the other (the output of {@code headroom fix} without {@code --apply}). */
        public String diff() {
            StringBuilder sb = new StringBuilder();
            for (FileEdit f : changedFiles()) {
                sb.append(f.diff());
            }
            return sb.toString();
        }
    }

    /**
     * Nothing edited.
     *
     * @param reason why, in plain words
     * @param path   the file concerned, or null
     * @param line   1-based line concerned, or 0
     */
    record Refused(String reason, String path, int line) implements EditResult {
        @Override
        public String toString() {
            return (path == null ? "" : path + (line > 0 ? ":" + line : "") + ": ") + reason;
        }
    }
}
