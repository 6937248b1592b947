package io.headroom.compose;

import io.headroom.compose.ComposeDoc.Found;
import io.headroom.compose.YamlTree.AliasNode;
import io.headroom.compose.YamlTree.Entry;
import io.headroom.compose.YamlTree.MapNode;
import io.headroom.compose.YamlTree.Node;
import io.headroom.compose.YamlTree.ScalarNode;
import io.headroom.compose.YamlTree.Style;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The text operations of an edit, planned before any is applied: replacing a value where it is written,
 * inserting a key line after a mapping's first entry, removing an entry (with its parents left empty),
 * each recorded as a {@link KeyChange}; then applied to each file at once ({@link #apply}). Every
 * operation refuses what it cannot do without touching other bytes (tabs on the line, something after
 * the entry on its line, a block scalar, a value anchor reused elsewhere).
 */
final class TextEdits {
    /** A text replacement: [start, end) becomes replacement. */
    record TextEdit(int start, int end, String replacement, int seq) {
    }

    /** What may follow a flow entry that sits alone on its line(s): its comma, blanks, a comment. */
    private static final Pattern FLOW_ENTRY_REST = Pattern.compile("[ \\t]*,[ \\t]*(#.*)?");

    private final Set<String> targets;
    private final String value;
    private final boolean severalFiles;
    final List<String> notes = new ArrayList<>();
    private final List<List<TextEdit>> edits = new ArrayList<>();
    private final List<List<KeyChange>> changes = new ArrayList<>();
    private final Set<Entry> touchedEntries = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<MapNode, Set<String>> insertedKeys = new IdentityHashMap<>();
    private int seq;

    TextEdits(Set<String> targets, String value, int files) {
        this.targets = targets;
        this.value = value;
        this.severalFiles = files > 1;
        for (int i = 0; i < files; i++) {
            edits.add(new ArrayList<>());
            changes.add(new ArrayList<>());
        }
    }

    /** The changes recorded for one file, in line order. */
    List<KeyChange> changes(int file) {
        List<KeyChange> cs = new ArrayList<>(changes.get(file));
        cs.sort(Comparator.comparingInt(KeyChange::line));
        return cs;
    }

    /** The file's text after every planned edit. */
    String apply(int file, YamlTree tree, String path) {
        return apply(tree, path, edits.get(file));
    }

    String where(ComposeDoc d) {
        return severalFiles ? " in " + d.path : "";
    }

    String others(List<String> users) {
        List<String> o = users.stream().filter(u -> !targets.contains(u)).map(u -> "'" + u + "'").toList();
        return o.isEmpty() ? "other services" : String.join(", ", o);
    }

    private void add(ComposeDoc d, int start, int end, String replacement) {
        edits.get(d.index).add(new TextEdit(start, end, replacement, seq++));
    }

    void checkNoTabs(ComposeDoc d, int fromLine, int toLine) {
        for (int l = fromLine; l <= toLine; l++) {
            if (d.tree.lineText(l).indexOf('\t') >= 0) {
                throw new RefusedException("a tab character on a line that would be edited; Headroom edits only space-indented lines"
                        + " without tabs", d.path, l + 1);
            }
        }
    }

    /** Replaces the value of an existing entry (which all its users are targeted). */
    void replace(ComposeDoc d, String t, String key, Found f, MapNode own, List<String> users, boolean mustBeString) {
        Entry e = f.entry();
        if (!touchedEntries.add(e)) {
            return;
        }
        YamlTree tree = d.tree;
        Node v = e.value();
        int line = tree.humanLine(e.key());
        int start;
        int end = v.end;
        Style style;
        String before;
        if (v instanceof AliasNode a) {
            start = a.start;
            style = Style.PLAIN;
            before = "*" + a.name;
        } else if (v instanceof ScalarNode s) {
            if (s.style == Style.LITERAL || s.style == Style.FOLDED) {
                throw new RefusedException(key + " of '" + t + "' is written as a block scalar (| or >)", d.path, line);
            }
            if (s.anchor != null && !tree.aliasesOf.getOrDefault(s, List.of()).isEmpty()) {
                AliasNode use = tree.aliasesOf.get(s).get(0);
                throw new RefusedException("the value of " + key + " of '" + t + "' carries the anchor &" + s.anchor
                        + ", which is reused at line " + tree.humanLine(use) + "; changing it would change that too", d.path, line);
            }
            if (s.tag != null && !s.tag.equals("tag:yaml.org,2002:str") && !s.tag.equals("!!str")) {
                throw new RefusedException(key + " of '" + t + "' has an explicit tag " + s.tag, d.path, line);
            }
            start = s.start;
            // skip node properties (&anchor, !tag): they stay
            while (start < end && (tree.text.charAt(start) == '&' || tree.text.charAt(start) == '!')) {
                while (start < end && !Character.isWhitespace(tree.text.charAt(start))) {
                    start++;
                }
                while (start < end && (tree.text.charAt(start) == ' ' || tree.text.charAt(start) == '\t')) {
                    start++;
                }
            }
            style = s.style;
            before = tree.text.substring(start, end);
            if (s.value.equals(value) && (!mustBeString || s.style != Style.PLAIN || !value.matches("\\d+"))) {
                notes.add(t + ": " + key + " is already " + before + where(d));
                return;
            }
        } else {
            throw new RefusedException(key + " of '" + t + "' is not a single value", d.path, line);
        }
        checkNoTabs(d, tree.lineOf(start), tree.lineOf(Math.max(start, end - 1)));
        String rendered = ScalarText.render(value, style, v.inFlow, mustBeString);
        if (start == end) {
            // an empty (null) value right after the colon
            rendered = (start > 0 && tree.text.charAt(start - 1) == ':' ? " " : "") + rendered;
        }
        add(d, start, end, rendered);
        boolean inService = f.owner() == own || isInsideServiceMapping(d, t, e);
        KeyChange.Action action = inService ? KeyChange.Action.REPLACED : KeyChange.Action.REPLACED_IN_ANCHOR;
        String whereText = inService ? "in the service" : "in the shared mapping " + ComposeDoc.anchorName(f.owner())
                + ", all of whose users are targeted (" + String.join(", ", users) + ")";
        changes.get(d.index).add(new KeyChange(t, key, action, before, rendered.strip(), line, whereText));
    }

    /** True when the entry sits inside the service's own text (e.g. deploy → resources → limits of the service). */
    private boolean isInsideServiceMapping(ComposeDoc d, String t, Entry e) {
        Entry svc = d.services.get(t);
        Node v = svc.value();
        if (v instanceof AliasNode) {
            return false;
        }
        return e.key().start >= v.start && e.value().end <= v.end;
    }

    /** Adds "key: value" to the service's own mapping (after its first entry). */
    void insert(ComposeDoc d, String t, MapNode own, String key, boolean mustBeString) {
        insert(d, t, own, key, key, mustBeString);
    }

    /** Inserts {@code key} into the mapping {@code own} (the service's, or one inside it); {@code label} names it in changes. */
    void insert(ComposeDoc d, String t, MapNode own, String key, String label, boolean mustBeString) {
        Set<String> done = insertedKeys.computeIfAbsent(own, k -> new LinkedHashSet<>());
        if (!done.add(key)) {
            return;
        }
        List<String> affected = d.affectedByInsert(own, key);
        if (!targets.containsAll(affected)) {
            throw new RefusedException("adding " + key + " to '" + t + "' would also change " + others(affected)
                    + ", which share(s) its mapping " + ComposeDoc.anchorName(own) + " through an alias or merge key;"
                    + " target them too", d.path, d.tree.humanLine(d.services.get(t).key()));
        }
        YamlTree tree = d.tree;
        String text = tree.text;
        int line = tree.humanLine(d.services.get(t).key());
        if (own.flow) {
            String rendered;
            if (own.entries.isEmpty()) {
                int brace = text.indexOf('{', own.start);
                if (brace < 0 || brace >= own.end) {
                    throw new RefusedException("cannot find the '{' of the flow mapping of '" + t + "'", d.path, line);
                }
                rendered = key + ": " + ScalarText.render(value, Style.PLAIN, true, mustBeString);
                checkNoTabs(d, tree.lineOf(brace), tree.lineOf(brace));
                add(d, brace + 1, brace + 1, rendered);
            } else {
                Entry first = own.entries.get(0);
                int at = first.value().end;
                if (first.value() instanceof ScalarNode s && s.isEmptyPlain()) {
                    at = Math.max(at, first.key().end);
                }
                String flowValue = ScalarText.render(value, Style.PLAIN, true, mustBeString);
                int keyLine = tree.lineOf(first.key().start);
                int endLine = tree.lineOf(Math.max(at - 1, 0));
                if (at > tree.lineContentEnd(endLine)) {
                    // an implicit empty value placed after a line break (found by fuzzing: crash-047e37a5…)
                    throw new RefusedException("the first entry of the flow mapping of '" + t + "' ends after a line"
                            + " break with an empty value; Headroom does not edit that layout", d.path, line);
                }
                String indent = text.substring(tree.lineStarts[keyLine], first.key().start);
                String rest = text.substring(at, tree.lineContentEnd(endLine));
                if (indent.chars().allMatch(c -> c == ' ') && FLOW_ENTRY_REST.matcher(rest).matches()
                        && !tree.lineTerminator(endLine).isEmpty()) {
                    // one entry per line: add a line of our own after the first one
                    rendered = key + ": " + flowValue;
                    checkNoTabs(d, keyLine, endLine);
                    int lineAt = tree.lineNextStart(endLine);
                    add(d, lineAt, lineAt, indent + rendered + "," + tree.lineTerminator(endLine));
                    line = endLine + 2;
                } else {
                    rendered = key + ": " + flowValue;
                    checkNoTabs(d, tree.lineOf(at), tree.lineOf(at));
                    add(d, at, at, ", " + rendered);
                    line = tree.lineOf(at) + 1;
                }
            }
            changes.get(d.index).add(new KeyChange(t, label, KeyChange.Action.INSERTED, null, rendered.substring(key.length() + 2),
                    line, "added to the flow mapping of the " + (label.equals(key) ? "service" : label.substring(0, label.lastIndexOf('.')))));
            return;
        }
        if (own.entries.isEmpty()) {
            throw new RefusedException("service '" + t + "' has an empty block mapping", d.path, line);
        }
        Entry first = own.entries.get(0);
        int keyLine = tree.lineOf(first.key().start);
        int lineStart = tree.lineStarts[keyLine];
        String indent = text.substring(lineStart, first.key().start);
        if (!indent.chars().allMatch(c -> c == ' ')) {
            throw new RefusedException("the first key of '" + t + "' does not start its line (indentation '"
                    + indent.replace("\t", "\\t") + "'); cannot tell where to insert " + key, d.path, keyLine + 1);
        }
        int lastLine = tree.entryLastLine(first);
        Node fv = first.value();
        boolean blockScalar = fv instanceof ScalarNode s && (s.style == Style.LITERAL || s.style == Style.FOLDED);
        if (!blockScalar && !(fv instanceof MapNode m && !m.flow) && !(fv instanceof YamlTree.SeqNode q && !q.flow)) {
            int valueEnd = fv instanceof ScalarNode s && s.isEmptyPlain() ? first.key().end : fv.end;
            if (tree.lineOf(Math.max(valueEnd - 1, 0)) == lastLine
                    && !tree.onlyBlankOrComment(valueEnd, tree.lineContentEnd(lastLine))) {
                throw new RefusedException("something follows the first entry of '" + t + "' on its line; cannot insert "
                        + key + " safely", d.path, lastLine + 1);
            }
        }
        checkNoTabs(d, keyLine, keyLine);
        // comment lines indented deeper than the service's keys still belong to the first entry's block
        while (!blockScalar && lastLine + 1 < tree.lineStarts.length && !tree.lineTerminator(lastLine).isEmpty()) {
            String next = tree.lineText(lastLine + 1);
            String stripped = next.stripLeading();
            if (!stripped.startsWith("#") || next.length() - stripped.length() <= indent.length()) {
                break;
            }
            lastLine++;
        }
        String eol = tree.lineTerminator(lastLine);
        String rendered = key + ": " + ScalarText.render(value, Style.PLAIN, false, mustBeString);
        if (eol.isEmpty()) {
            // the first entry ends the file without a newline
            add(d, tree.lineContentEnd(lastLine), tree.lineContentEnd(lastLine), tree.eol() + indent + rendered);
        } else {
            int at = tree.lineNextStart(lastLine);
            add(d, at, at, indent + rendered + eol);
        }
        changes.get(d.index).add(new KeyChange(t, label, KeyChange.Action.INSERTED, null, rendered.substring(key.length() + 2),
                lastLine + 2, "added after the first key of the " + (label.equals(key) ? "service" : label.substring(0, label.lastIndexOf('.')))
                        + (own.entries.stream().anyMatch(Entry::isMerge) ? " (overrides the value merged from the anchor)" : "")));
    }

    /** Removes chain[0]'s entry (the leaf is the last of the chain; chain[0] may be an ancestor left empty). */
    void remove(ComposeDoc d, String t, String key, List<Found> chain, MapNode own) {
        Found top = chain.get(0);
        Found leaf = chain.get(chain.size() - 1);
        Entry e = top.entry();
        if (!touchedEntries.add(e)) {
            return;
        }
        YamlTree tree = d.tree;
        String text = tree.text;
        MapNode owner = top.owner();
        int line = tree.humanLine(leaf.entry().key());
        Node lv = leaf.entry().value();
        String before = lv instanceof ScalarNode s ? text.substring(s.start, s.end) : text.substring(lv.start, lv.end);
        int keyLine0 = tree.lineOf(e.key().start);
        int valueLine0 = tree.lineOf(Math.max(e.value().end - 1, e.key().start));
        boolean aloneOnLines = owner.flow
                && text.substring(tree.lineStarts[keyLine0], e.key().start).chars().allMatch(c -> c == ' ')
                && FLOW_ENTRY_REST.matcher(text.substring(e.value().end, tree.lineContentEnd(valueLine0))).matches();
        if (aloneOnLines) {
            checkNoTabs(d, keyLine0, valueLine0);
            add(d, tree.lineStarts[keyLine0], tree.lineNextStart(valueLine0), "");
        } else if (owner.flow) {
            int idx = indexOf(owner, e);
            int start;
            int end;
            if (owner.entries.size() == 1) {
                start = e.key().start;
                end = e.value().end;
            } else if (idx < owner.entries.size() - 1) {
                start = e.key().start;
                end = owner.entries.get(idx + 1).key().start;
            } else {
                start = owner.entries.get(idx - 1).value().end;
                end = e.value().end;
            }
            checkNoTabs(d, tree.lineOf(start), tree.lineOf(Math.max(start, end - 1)));
            add(d, start, end, "");
        } else {
            int keyLine = tree.lineOf(e.key().start);
            int lineStart = tree.lineStarts[keyLine];
            if (!text.substring(lineStart, e.key().start).chars().allMatch(c -> c == ' ')) {
                throw new RefusedException("the key '" + e.keyName() + "' does not start its line; cannot remove it safely",
                        d.path, keyLine + 1);
            }
            int lastLine = tree.entryLastLine(e);
            Node v = e.value();
            boolean multiLineBlock = (v instanceof ScalarNode s && (s.style == Style.LITERAL || s.style == Style.FOLDED))
                    || (v instanceof MapNode m && !m.flow) || (v instanceof YamlTree.SeqNode q && !q.flow);
            if (!multiLineBlock) {
                int valueEnd = v instanceof ScalarNode s && s.isEmptyPlain() ? e.key().end : v.end;
                if (!tree.onlyBlankOrComment(valueEnd, tree.lineContentEnd(lastLine))) {
                    throw new RefusedException("something follows '" + e.keyName() + "' on its line; cannot remove it safely",
                            d.path, lastLine + 1);
                }
            }
            checkNoTabs(d, keyLine, lastLine);
            int start = lineStart;
            int end = tree.lineNextStart(lastLine);
            if (tree.lineTerminator(lastLine).isEmpty() && keyLine > 0) {
                // last line of a file without a final newline: take the previous line's terminator instead
                start = tree.lineContentEnd(keyLine - 1);
            }
            add(d, start, end, "");
        }
        boolean inService = top.owner() == own || isInsideServiceMapping(d, t, e);
        String whereText = (chain.size() > 1 ? "removed with its now empty parent '" + e.keyName() + "'" : "removed")
                + (inService ? "" : " from the shared mapping " + ComposeDoc.anchorName(owner) + ", all of whose users are targeted");
        changes.get(d.index).add(new KeyChange(t, key, KeyChange.Action.REMOVED, before, null, line, whereText));
    }

    private static int indexOf(MapNode m, Entry e) {
        for (int i = 0; i < m.entries.size(); i++) {
            if (m.entries.get(i) == e) {
                return i;
            }
        }
        throw new IllegalStateException("entry not in its mapping");
    }

    private static int indentOf(String insertion) {
        int n = 0;
        while (n < insertion.length() && insertion.charAt(n) == ' ') {
            n++;
        }
        return n;
    }

    private static String apply(YamlTree tree, String path, List<TextEdit> list) {
        if (list.isEmpty()) {
            return tree.text;
        }
        List<TextEdit> sorted = new ArrayList<>(list);
        // two key lines inserted at one place (after a block that ends both a mapping and its parent's first entry):
        // the deeper one belongs to the inner mapping, so it comes first
        sorted.sort(Comparator.comparingInt(TextEdit::start).thenComparingInt(TextEdit::end)
                .thenComparingInt(te -> -indentOf(te.replacement())).thenComparingInt(TextEdit::seq));
        for (int i = 1; i < sorted.size(); i++) {
            TextEdit a = sorted.get(i - 1);
            TextEdit b = sorted.get(i);
            if (b.start() < a.end()) {
                throw new RefusedException("internal: two edits overlap", path, tree.lineOf(b.start()) + 1);
            }
        }
        StringBuilder sb = new StringBuilder(tree.text.length() + 64);
        int pos = 0;
        for (TextEdit te : sorted) {
            sb.append(tree.text, pos, te.start());
            sb.append(te.replacement());
            pos = te.end();
        }
        sb.append(tree.text, pos, tree.text.length());
        return sb.toString();
    }
}
