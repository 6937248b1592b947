package io.headroom.compose;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.Construct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A compose file as data, read the way Compose v2 (compose-go, on go-yaml v3) reads it: YAML 1.2 scalars
 * ({@code on}, {@code yes}, {@code off} are strings, only {@code true} / {@code false} are booleans), merge
 * keys resolved, every document of a {@code ---} stream, and tags that are not YAML's own (Compose's
 * {@code !reset} and {@code !override}) kept as {@link Tagged} values instead of failing. Then the documents
 * and files merged in order as Compose does for the keys that matter here ({@link #merge}).
 */
final class ComposeYaml {
    /** A value under a local tag ({@code !reset}, {@code !override}, …): the tag and the value as if untagged. */
    record Tagged(String tag, Object value) {
    }

    private ComposeYaml() {
    }

    /** Every document of the text, as plain comparable data (maps keep order). */
    static List<Object> loadAll(String text, String path) {
        Yaml yaml = new Yaml(new TagKeepingConstructor(), new Representer(new DumperOptions()), new DumperOptions(),
                YamlTree.loaderOptions(), new Yaml12Resolver());
        List<Object> out = new ArrayList<>();
        try {
            for (Object o : yaml.loadAll(text)) {
                if (o != null) {
                    out.add(normalize(o));
                }
            }
        } catch (YAMLException | ClassCastException | NumberFormatException e) {
            throw new RefusedException("the file cannot be read as YAML data (" + e.getClass().getSimpleName()
                    + "); check it with 'docker compose config'", path, 0);
        }
        return out;
    }

    /**
     * Compose's merge of {@code override} onto {@code base} for mappings: keys merged recursively, an
     * override's {@code !reset} removes the key, an {@code !override} value replaces the base's whole value;
     * anything else in the override wins. (Sequences such as {@code ports} have their own rules in
     * compose-go; the editor never changes them, so here the override's sequence simply wins.)
     */
    @SuppressWarnings("unchecked")
    static Object merge(Object base, Object override) {
        if (override instanceof Tagged t && t.tag().equals("!reset")) {
            return null;
        }
        if (override instanceof Tagged t && t.tag().equals("!override")) {
            return untag(t.value());
        }
        if (base instanceof Map<?, ?> b && override instanceof Map<?, ?> o) {
            Map<Object, Object> out = new LinkedHashMap<>((Map<Object, Object>) b);
            for (Map.Entry<?, ?> e : o.entrySet()) {
                Object merged = merge(out.get(e.getKey()), e.getValue());
                if (merged == null && e.getValue() instanceof Tagged) {
                    out.remove(e.getKey());
                } else {
                    out.put(e.getKey(), merged);
                }
            }
            return out;
        }
        return untag(override);
    }

    /** The value with the Compose tags applied to an empty base ({@code !reset} keys dropped). */
    @SuppressWarnings("unchecked")
    static Object untag(Object v) {
        if (v instanceof Tagged t) {
            return t.tag().equals("!reset") ? null : untag(t.value());
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                Object x = untag(e.getValue());
                if (x != null || !(e.getValue() instanceof Tagged)) {
                    out.put(e.getKey(), x);
                }
            }
            return out;
        }
        return v;
    }

    /** Plain, comparable data: maps keep order, byte arrays become text. */
    static Object normalize(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(normalize(e.getKey()), normalize(e.getValue()));
            }
            return out;
        }
        if (o instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object x : l) {
                out.add(normalize(x));
            }
            return out;
        }
        if (o instanceof Set<?> s) {
            Set<Object> out = new HashSet<>();
            for (Object x : s) {
                out.add(normalize(x));
            }
            return out;
        }
        if (o instanceof Tagged t) {
            return new Tagged(t.tag(), normalize(t.value()));
        }
        if (o instanceof byte[] b) {
            return "!!binary " + Base64.getEncoder().encodeToString(b);
        }
        return o;
    }

    /** YAML 1.2's core schema, as go-yaml v3 resolves plain scalars (no yes/no/on/off booleans, no sexagesimals). */
    private static final class Yaml12Resolver extends Resolver {
        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF");
            addImplicitResolver(Tag.INT, Pattern.compile("^[-+]?[0-9]+$"), "-+0123456789");
            addImplicitResolver(Tag.FLOAT, Pattern.compile(
                    "^(?:[-+]?(?:\\.[0-9]+|[0-9]+\\.[0-9]*)(?:[eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+"
                            + "|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$"), "-+0123456789.");
            addImplicitResolver(Tag.MERGE, MERGE, "<");
            addImplicitResolver(Tag.NULL, Pattern.compile("^(?:~|null|Null|NULL)$"), "~nN");
            addImplicitResolver(Tag.NULL, EMPTY, null);
        }
    }

    /** SafeConstructor that keeps a tag it does not know as {@link Tagged} around the value the node would have untagged. */
    private static final class TagKeepingConstructor extends SafeConstructor {
        private static final Pattern DECIMAL = Pattern.compile("[-+]?[0-9]+");

        TagKeepingConstructor() {
            super(YamlTree.loaderOptions());
            // YAML 1.2 (and go-yaml v3): a plain 09 or 010 is the decimal 9 or 10; SnakeYAML would read a leading 0 as
            // octal and throw on 09 (a fuzz finding). Other int forms (0x1f, !!int on any text) stay SnakeYAML's.
            Construct snakeInt = this.yamlConstructors.get(Tag.INT);
            this.yamlConstructors.put(Tag.INT, new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    String text = ((ScalarNode) node).getValue();
                    if (DECIMAL.matcher(text).matches()) {
                        BigInteger v = new BigInteger(text.startsWith("+") ? text.substring(1) : text);
                        return v.bitLength() < 32 ? (Object) v.intValue() : v.bitLength() < 64 ? (Object) v.longValue() : v;
                    }
                    return snakeInt.construct(node);
                }
            });
            this.yamlConstructors.put(null, new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    Tag original = node.getTag();
                    node.setTag(node.getNodeId() == NodeId.scalar ? Tag.STR : node.getNodeId() == NodeId.sequence ? Tag.SEQ : Tag.MAP);
                    Object value = getConstructor(node).construct(node);
                    return new Tagged(original.getValue(), value);
                }
            });
        }
    }
}
