package io.headroom.compose;

import org.yaml.snakeyaml.LoaderOptions;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree of nodes that know their exact character span in the source text, built
 * from SnakeYAML's event stream (events carry start/end marks; unlike SnakeYAML's own node graph, an
 * alias keeps its own position here, so "{@code <<: *worker}" can be told from the anchored mapping).
 *
 * <p>Offsets are Java {@code char} offsets into the text (SnakeYAML counts code points; they are
 * converted). Refuses (with {@link RefusedException}) what this package will not edit: invalid YAML,
 * duplicate keys, recursive aliases, unusual line breaks. A {@code ---} stream holds several {@link #documents}.
 */
final class YamlTree {
    final String text;
    /** The root of the first document. */
    final Node root;
    /** The root of every document of a {@code ---} stream, in order (Compose v2 merges them as successive files). */
    final List<Node> documents;
    /** Char offset where each line starts; lines are separated by LF (a CR before it is part of the line). */
    final int[] lineStarts;
    /** For each anchored node, the aliases that reference it. */
    final Map<Node, List<AliasNode>> aliasesOf = new IdentityHashMap<>();

    YamlTree(String text, List<Node> documents, int[] lineStarts) {
        this.text = text;
        this.documents = List.copyOf(documents);
        this.root = documents.get(0);
        this.lineStarts = lineStarts;
    }

    // ---------------------------------------------------------------- nodes

    abstract static sealed class Node permits ScalarNode, MapNode, SeqNode, AliasNode {
        int start;
        int end;
        String anchor;
        String tag;
        /** Inside a flow collection (a replacement value must then avoid flow indicators). */
        boolean inFlow;
    }

    enum Style { PLAIN, SINGLE, DOUBLE, LITERAL, FOLDED }

    static final class ScalarNode extends Node {
        String value;
        Style style;

        boolean isEmptyPlain() {
            return style == Style.PLAIN && value.isEmpty();
        }
    }

    record Entry(Node key, Node value) {
        /** The key as a string when it is a scalar (aliases to scalars are followed), else null. */
        String keyName() {
            Node k = key instanceof AliasNode a ? a.target : key;
            return k instanceof ScalarNode s ? s.value : null;
        }

        boolean isMerge() {
            return key instanceof ScalarNode s && s.style == Style.PLAIN && s.value.equals("<<");
        }
    }

    static final class MapNode extends Node {
        final List<Entry> entries = new ArrayList<>();
        boolean flow;
    }

    static final class SeqNode extends Node {
        final List<Node> items = new ArrayList<>();
        boolean flow;
    }

    static final class AliasNode extends Node {
        String name;
        Node target;
    }

    static Node resolve(Node n) {
        while (n instanceof AliasNode a) {
            n = a.target;
        }
        return n;
    }

    // ---------------------------------------------------------------- text helpers

    int lineOf(int offset) {
        int lo = 0;
        int hi = lineStarts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (lineStarts[mid] <= offset) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** 1-based line number, for messages. */
    int humanLine(Node n) {
        return lineOf(n.start) + 1;
    }

    /** Offset just past the line's content (before its CR LF / LF), or the text end. */
    int lineContentEnd(int line) {
        int e = lineNextStart(line);
        if (e > lineStarts[line] && text.charAt(e - 1) == '\n') {
            e--;
            if (e > lineStarts[line] && text.charAt(e - 1) == '\r') {
                e--;
            }
        }
        return e;
    }

    /** Offset where the next line starts (after this line's terminator), or the text end. */
    int lineNextStart(int line) {
        return line + 1 < lineStarts.length ? lineStarts[line + 1] : text.length();
    }

    /** The line terminator of a line ("" for a last line without one). */
    String lineTerminator(int line) {
        return text.substring(lineContentEnd(line), lineNextStart(line));
    }

    String lineText(int line) {
        return text.substring(lineStarts[line], lineContentEnd(line));
    }

    /** The dominant line terminator of the text. */
    String eol() {
        int crlf = 0;
        int lf = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                if (i > 0 && text.charAt(i - 1) == '\r') {
                    crlf++;
                } else {
                    lf++;
                }
            }
        }
        return crlf > lf ? "\r\n" : "\n";
    }

    /**
     * The 0-based line of the last character that belongs to the node (its content, not trailing
     * blank lines or comments). For block collections: the last line of their last value.
     */
    int lastContentLine(Node n) {
        if (n instanceof MapNode m && !m.flow && !m.entries.isEmpty()) {
            Entry last = m.entries.get(m.entries.size() - 1);
            return entryLastLine(last);
        }
        if (n instanceof SeqNode s && !s.flow && !s.items.isEmpty()) {
            return lastContentLine(s.items.get(s.items.size() - 1));
        }
        int e = n.end;
        while (e > n.start && Character.isWhitespace(text.charAt(e - 1))) {
            e--;
        }
        return lineOf(Math.max(n.start, e - 1));
    }

    /** Last line of a key/value entry (the key's line when the value is empty). */
    int entryLastLine(Entry e) {
        if (e.value() instanceof ScalarNode s && s.isEmptyPlain() && s.anchor == null && s.tag == null) {
            return lineOf(Math.max(e.key().start, e.key().end - 1));
        }
        return Math.max(lineOf(Math.max(e.key().start, e.key().end - 1)), lastContentLine(e.value()));
    }

    /** True if the span [from, to) holds only blanks and, optionally, one trailing comment. */
    boolean onlyBlankOrComment(int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == '#') {
                return i == from || text.charAt(i - 1) == ' ' || text.charAt(i - 1) == '\t';
            }
            if (c != ' ' && c != '\t' && c != '\r') {
                return false;
            }
        }
        return true;
    }

    /** Parses one compose file's text; see {@link YamlTreeParser}. */
    static YamlTree parse(String text) {
        return YamlTreeParser.parse(text);
    }

    static LoaderOptions loaderOptions() {
        return YamlTreeParser.loaderOptions();
    }
}
