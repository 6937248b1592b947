package io.headroom.compose;

import io.headroom.compose.YamlTree.Entry;
import io.headroom.compose.YamlTree.MapNode;
import io.headroom.compose.YamlTree.Node;
import io.headroom.compose.YamlTree.ScalarNode;
import io.headroom.compose.YamlTree.SeqNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compose semantics over a {@link YamlTree}: where the services are (the {@code services:} mapping,
 * or the root of a version-1 file), and key lookup through YAML merge keys ({@code <<: *anchor}):
 * explicit keys win over merged ones, and in {@code <<: [*a, *b]} the earlier mapping wins.
 */
final class ComposeDoc {
    final String path;
    final int index;
    final YamlTree tree;
    /** This document's root (a file of several {@code ---} documents gives one ComposeDoc each). */
    final Node document;
    final boolean v1Format;
    /** Service name → its entry in the services mapping. */
    final Map<String, Entry> services = new LinkedHashMap<>();

    /** The result of a lookup: the entry found and the mapping that holds it. */
    record Found(Entry entry, MapNode owner) {
    }

    ComposeDoc(String path, int index, YamlTree tree) {
        this(path, index, tree, tree.root);
    }

    /** One document of a file ({@code index}: the file's position in the project; several documents share it). */
    ComposeDoc(String path, int index, YamlTree tree, Node document) {
        this.path = path;
        this.index = index;
        this.tree = tree;
        this.document = document;
        if (!(document instanceof MapNode root)) {
            throw new RefusedException("the top level is not a mapping, so this is not a compose file", path, tree.humanLine(document));
        }
        Found svc = lookup(root, "services");
        Found version = lookup(root, "version");
        MapNode servicesMap;
        if (svc != null) {
            Node v = YamlTree.resolve(svc.entry().value());
            if (v instanceof ScalarNode s && s.isEmptyPlain()) {
                servicesMap = null;
            } else if (v instanceof MapNode m) {
                servicesMap = m;
            } else {
                throw new RefusedException("'services' is not a mapping", path, tree.humanLine(svc.entry().key()));
            }
            v1Format = false;
        } else if (version == null) {
            // version 1 format: services at the top level
            servicesMap = root;
            v1Format = true;
        } else {
            servicesMap = null;
            v1Format = false;
        }
        if (servicesMap != null) {
            for (Entry e : servicesMap.entries) {
                if (e.isMerge()) {
                    if (v1Format) {
                        continue;
                    }
                    throw new RefusedException("a merge key directly under 'services' is not supported", path, tree.humanLine(e.key()));
                }
                String name = e.keyName();
                if (name == null) {
                    throw new RefusedException("a service name that is not a plain string", path, tree.humanLine(e.key()));
                }
                if (v1Format && name.startsWith("x-")) {
                    continue;
                }
                services.put(name, e);
            }
        }
    }

    /** The mapping of a service (following an alias), or a refusal when it is not a mapping. */
    MapNode serviceMap(String name) {
        Entry e = services.get(name);
        if (e == null) {
            return null;
        }
        Node v = YamlTree.resolve(e.value());
        if (v instanceof MapNode m) {
            return m;
        }
        if (v instanceof ScalarNode s && s.isEmptyPlain()) {
            throw new RefusedException("service '" + name + "' is empty (null); Headroom will not build its mapping",
                    path, tree.humanLine(e.key()));
        }
        throw new RefusedException("service '" + name + "' is not a mapping", path, tree.humanLine(e.key()));
    }

    // ---------------------------------------------------------------- merge-aware lookup

    /** The mappings consulted for a key, in priority order: the mapping itself, then its merge sources (depth first). */
    static List<MapNode> lookupOrder(MapNode m) {
        List<MapNode> out = new ArrayList<>();
        Set<MapNode> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        collect(m, out, seen);
        return out;
    }

    private static void collect(MapNode m, List<MapNode> out, Set<MapNode> seen) {
        if (!seen.add(m)) {
            return;
        }
        out.add(m);
        for (Entry e : m.entries) {
            if (!e.isMerge()) {
                continue;
            }
            Node v = YamlTree.resolve(e.value());
            if (v instanceof MapNode src) {
                collect(src, out, seen);
            } else if (v instanceof SeqNode seq) {
                for (Node item : seq.items) {
                    Node r = YamlTree.resolve(item);
                    if (r instanceof MapNode src) {
                        collect(src, out, seen);
                    }
                }
            }
        }
    }

    /** The explicit (non-merge) entry for key in this one mapping, or null. */
    static Entry explicit(MapNode m, String key) {
        for (Entry e : m.entries) {
            if (!e.isMerge() && key.equals(e.keyName())) {
                return e;
            }
        }
        return null;
    }

    static Found lookup(MapNode m, String key) {
        for (MapNode x : lookupOrder(m)) {
            Entry e = explicit(x, key);
            if (e != null) {
                return new Found(e, x);
            }
        }
        return null;
    }

    /** All entries defining key along m's lookup order (the first one is effective). */
    static List<Found> allDefinitions(MapNode m, String key) {
        List<Found> out = new ArrayList<>();
        for (MapNode x : lookupOrder(m)) {
            Entry e = explicit(x, key);
            if (e != null) {
                out.add(new Found(e, x));
            }
        }
        return out;
    }

    /** Lookup of a dotted path (each level merge-aware); every level found, or null. */
    static List<Found> lookupPath(MapNode m, List<String> path) {
        List<Found> chain = new ArrayList<>();
        MapNode cur = m;
        for (int i = 0; i < path.size(); i++) {
            Found f = lookup(cur, path.get(i));
            if (f == null) {
                return null;
            }
            chain.add(f);
            if (i < path.size() - 1) {
                Node v = YamlTree.resolve(f.entry().value());
                if (!(v instanceof MapNode next)) {
                    return null;
                }
                cur = next;
            }
        }
        return chain;
    }

    /** Services whose effective value for the path is exactly this entry. */
    List<String> usersOf(Entry leaf, List<String> path) {
        List<String> users = new ArrayList<>();
        for (String name : services.keySet()) {
            Node v = YamlTree.resolve(services.get(name).value());
            if (!(v instanceof MapNode sm)) {
                continue;
            }
            List<Found> chain = lookupPath(sm, path);
            if (chain != null && chain.get(chain.size() - 1).entry() == leaf) {
                users.add(name);
            }
        }
        return users;
    }

    /** Services whose effective value for key would become an entry added to mapping n. */
    List<String> affectedByInsert(MapNode n, String key) {
        List<String> out = new ArrayList<>();
        for (String name : services.keySet()) {
            Node v = YamlTree.resolve(services.get(name).value());
            if (!(v instanceof MapNode sm)) {
                continue;
            }
            for (MapNode x : lookupOrder(sm)) {
                if (x == n) {
                    out.add(name);
                    break;
                }
                if (explicit(x, key) != null) {
                    break;
                }
            }
        }
        return out;
    }

    /** Compose's own tag on the entry's value ({@code !reset} or {@code !override}), or null. */
    static String composeTag(Entry e) {
        String tag = e.value().tag;
        return "!reset".equals(tag) || "!override".equals(tag) ? tag : null;
    }

    /** The anchor name under which a mapping is shared, for messages. */
    static String anchorName(MapNode n) {
        return n.anchor == null ? "(anonymous)" : "&" + n.anchor;
    }
}
