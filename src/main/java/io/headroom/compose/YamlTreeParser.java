package io.headroom.compose;

import io.headroom.compose.YamlTree.AliasNode;
import io.headroom.compose.YamlTree.Entry;
import io.headroom.compose.YamlTree.MapNode;
import io.headroom.compose.YamlTree.Node;
import io.headroom.compose.YamlTree.ScalarNode;
import io.headroom.compose.YamlTree.SeqNode;
import io.headroom.compose.YamlTree.Style;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link YamlTree} from SnakeYAML's event stream: each node with its exact character span (SnakeYAML's
 * code-point marks converted to {@code char} offsets), anchors and the aliases that use them. Refuses (with
 * {@link RefusedException}) what the editor will not edit: invalid YAML (in plain words, with the line),
 * duplicate keys, recursive aliases, unusual line breaks.
 */
final class YamlTreeParser {
    private YamlTreeParser() {
    }

    static LoaderOptions loaderOptions() {
        LoaderOptions o = new LoaderOptions();
        o.setAllowDuplicateKeys(false);
        o.setMaxAliasesForCollections(1000);
        o.setAllowRecursiveKeys(false);
        return o;
    }

    static YamlTree parse(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n')) {
                throw new RefusedException("a bare carriage return (old Mac line ending) at offset " + i
                        + "; only LF and CRLF line endings are edited", lineAt(text, i));
            }
            if (c == '\u0085' || c == '\u2028' || c == '\u2029') {
                throw new RefusedException("an unusual Unicode line break (U+" + Integer.toHexString(c).toUpperCase()
                        + ") that YAML 1.1 counts as a new line", lineAt(text, i));
            }
        }
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                starts.add(i + 1);
            }
        }
        int[] lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
        int[] cpToChar = null;
        if (text.codePoints().count() != text.length()) {
            int cps = (int) text.codePoints().count();
            cpToChar = new int[cps + 1];
            int ci = 0;
            for (int k = 0; k < cps; k++) {
                cpToChar[k] = ci;
                ci += Character.charCount(text.codePointAt(ci));
            }
            cpToChar[cps] = text.length();
        }
        Builder b = new Builder(text, cpToChar);
        YamlTree t = new YamlTree(text, b.build(), lineStarts);
        t.aliasesOf.putAll(b.aliasesOf);
        return t;
    }

    private static int lineAt(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static final class Builder {
        private final String text;
        private final int[] cpToChar;
        private final Map<String, Node> anchors = new HashMap<>();
        final Map<Node, List<AliasNode>> aliasesOf = new IdentityHashMap<>();
        private final Set<Node> open = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        private int flowDepth;

        Builder(String text, int[] cpToChar) {
            this.text = text;
            this.cpToChar = cpToChar;
        }

        int off(Mark m) {
            int idx = m.getIndex();
            if (cpToChar == null) {
                return Math.min(idx, text.length());
            }
            return cpToChar[Math.min(idx, cpToChar.length - 1)];
        }

        /** Every document's root node, in order (empty documents left out). */
        List<Node> build() {
            Parser p = new ParserImpl(new StreamReader(new StringReader(text)), loaderOptions());
            List<Node> roots = new ArrayList<>();
            try {
                while (true) {
                    Event e = p.getEvent();
                    if (e.is(Event.ID.StreamEnd)) {
                        break;
                    }
                    if (e.is(Event.ID.DocumentStart)) {
                        anchors.clear(); // an anchor belongs to its document
                        Event first = p.peekEvent();
                        if (first.is(Event.ID.DocumentEnd)) {
                            continue;
                        }
                        p.getEvent();
                        Node root = node(p, first);
                        if (!(root instanceof ScalarNode s && s.isEmptyPlain() && s.tag == null)) {
                            roots.add(root);
                        }
                    }
                }
            } catch (MarkedYAMLException ex) {
                Mark m = ex.getProblemMark() != null ? ex.getProblemMark() : ex.getContextMark();
                throw new RefusedException("this is not valid YAML" + (m == null ? "" : " (the problem is at column "
                        + (m.getColumn() + 1) + ")") + ", so Compose cannot read it either; run 'docker compose config' on the"
                        + " VM to see why, correct the file, then fix again", m == null ? 0 : m.getLine() + 1);
            } catch (YAMLException ex) {
                throw new RefusedException("this is not valid YAML, so Compose cannot read it either; run 'docker compose config'"
                        + " on the VM to see why, correct the file, then fix again", 0);
            }
            if (roots.isEmpty()) {
                throw new RefusedException("the file is empty", 0);
            }
            return roots;
        }

        private Node node(Parser p, Event e) {
            Node n;
            if (e instanceof AliasEvent ae) {
                AliasNode a = new AliasNode();
                a.name = ae.getAnchor();
                a.target = anchors.get(a.name);
                if (a.target == null) {
                    throw new RefusedException("alias *" + a.name + " has no anchor", lineAt(text, off(e.getStartMark())));
                }
                if (open.contains(a.target)) {
                    throw new RefusedException("recursive alias *" + a.name, lineAt(text, off(e.getStartMark())));
                }
                aliasesOf.computeIfAbsent(a.target, k -> new ArrayList<>()).add(a);
                n = a;
            } else if (e instanceof ScalarEvent se) {
                ScalarNode s = new ScalarNode();
                s.value = se.getValue();
                s.style = switch (se.getScalarStyle()) {
                    case SINGLE_QUOTED -> Style.SINGLE;
                    case DOUBLE_QUOTED -> Style.DOUBLE;
                    case LITERAL -> Style.LITERAL;
                    case FOLDED -> Style.FOLDED;
                    default -> Style.PLAIN;
                };
                s.tag = se.getTag();
                n = s;
            } else if (e instanceof MappingStartEvent me) {
                MapNode m = new MapNode();
                m.flow = me.getFlowStyle() == DumperOptions.FlowStyle.FLOW;
                m.tag = me.getTag();
                fillProps(m, me);
                open.add(m);
                if (m.flow) {
                    flowDepth++;
                }
                Set<String> seen = new HashSet<>();
                while (!p.checkEvent(Event.ID.MappingEnd)) {
                    Event ke = p.getEvent();
                    Node k = node(p, ke);
                    Event ve = p.getEvent();
                    Node v = node(p, ve);
                    Entry entry = new Entry(k, v);
                    String name = entry.keyName();
                    if (name != null && !seen.add(name)) {
                        throw new RefusedException("duplicate key '" + name + "' in one mapping (YAML forbids it; docker-compose"
                                + " versions disagree on which one wins)", lineAt(text, k.start));
                    }
                    m.entries.add(entry);
                }
                Event end = p.getEvent();
                if (m.flow) {
                    flowDepth--;
                }
                open.remove(m);
                m.end = off(end.getEndMark());
                if (!m.flow) {
                    m.end = m.entries.isEmpty() ? m.start : m.entries.get(m.entries.size() - 1).value().end;
                }
                return m;
            } else if (e instanceof CollectionStartEvent ce && e.is(Event.ID.SequenceStart)) {
                SeqNode s = new SeqNode();
                s.flow = ce.getFlowStyle() == DumperOptions.FlowStyle.FLOW;
                s.tag = ce.getTag();
                fillProps(s, ce);
                open.add(s);
                if (s.flow) {
                    flowDepth++;
                }
                while (!p.checkEvent(Event.ID.SequenceEnd)) {
                    s.items.add(node(p, p.getEvent()));
                }
                Event end = p.getEvent();
                if (s.flow) {
                    flowDepth--;
                }
                open.remove(s);
                s.end = off(end.getEndMark());
                if (!s.flow) {
                    s.end = s.items.isEmpty() ? s.start : s.items.get(s.items.size() - 1).end;
                }
                return s;
            } else {
                throw new RefusedException("unexpected YAML event " + e.getEventId(), lineAt(text, off(e.getStartMark())));
            }
            n.start = off(e.getStartMark());
            n.end = off(e.getEndMark());
            n.inFlow = flowDepth > 0;
            if (e instanceof NodeEvent ne && !(n instanceof AliasNode)) {
                n.anchor = ne.getAnchor();
                if (n.anchor != null) {
                    anchors.put(n.anchor, n);
                }
            }
            return n;
        }

        private void fillProps(Node n, NodeEvent ev) {
            n.start = off(ev.getStartMark());
            n.inFlow = flowDepth > 0;
            n.anchor = ev.getAnchor();
            if (n.anchor != null) {
                anchors.put(n.anchor, n);
            }
        }
    }
}
