package io.headroom.compose;

import io.headroom.compose.YamlTree.MapNode;
import io.headroom.compose.YamlTree.Node;
import io.headroom.compose.YamlTree.ScalarNode;
import io.headroom.compose.YamlTree.SeqNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The compose files of one project as Compose reads them: each file parsed, every {@code ---} document of it,
 * in {@code -f} order (later files override earlier ones), then the files they {@code include}; the services a
 * target {@code extends}; every targeted service defined in at least one of them.
 */
final class ComposeProject {
    /** Every document of every file, in the order Compose merges them. */
    final List<ComposeDoc> docs = new ArrayList<>();
    /** Each file's tree, by file index. */
    final List<YamlTree> trees = new ArrayList<>();
    final List<String> paths = new ArrayList<>();
    /** Files the request gives beside the -f ones (included, extended), by resolved path. */
    final Map<String, ComposeSource> referenced = new LinkedHashMap<>();

    private ComposeProject() {
    }

    static ComposeProject load(EditRequest req) {
        ComposeProject p = new ComposeProject();
        for (ComposeSource r : req.referenced()) {
            p.referenced.put(resolve("", r.path()), r);
        }
        for (ComposeSource src : req.files()) {
            p.add(src, req.memory());
        }
        // include: the included files' services join the project (Compose refuses one defined on both sides)
        for (int k = 0; k < p.docs.size(); k++) {
            ComposeDoc d = p.docs.get(k);
            for (Node item : p.includes(d)) {
                Node it = YamlTree.resolve(item);
                if (it instanceof MapNode m && ComposeDoc.lookup(m, "path") != null) {
                    it = YamlTree.resolve(ComposeDoc.lookup(m, "path").entry().value());
                }
                if (!(it instanceof ScalarNode named) || named.value.contains("$")) {
                    throw new RefusedException("an include that is not one plain path; Headroom follows only 'include: [path]'"
                            + " and 'path: file' entries. Edit the included file's service yourself, or name one file here",
                            d.path, d.tree.humanLine(item));
                }
                String path = resolve(d.path, named.value);
                if (!p.paths.contains(path)) {
                    p.add(p.referenced(path, "included", d, item), req.memory());
                }
            }
        }
        for (String t : new TreeSet<>(req.services())) {
            boolean defined = false;
            for (ComposeDoc d : p.docs) {
                try {
                    if (d.serviceMap(t) != null) {
                        defined = true;
                    }
                } catch (RefusedException e) {
                    throw e.in(d.path);
                }
            }
            if (!defined) {
                throw new RefusedException("service '" + t + "' is not defined in " + p.fileList(), null, 0);
            }
        }
        return p;
    }

    private void add(ComposeSource src, MemoryValue memory) {
        if (src.truncated()) {
            throw new RefusedException("the file was read only in part (the probe capped it); Headroom edits only whole files",
                    src.path(), 0);
        }
        YamlTree tree;
        try {
            tree = YamlTree.parse(src.text());
        } catch (RefusedException e) {
            throw e.in(src.path());
        }
        int index = trees.size();
        trees.add(tree);
        paths.add(src.path());
        for (Node document : tree.documents) {
            ComposeDoc d = new ComposeDoc(src.path(), index, tree, document);
            docs.add(d);
            if (d.v1Format && tree.documents.size() > 1) {
                throw new RefusedException("a document without 'services:' in a '---' stream: Compose v2 does not read"
                        + " version-1 files; give this document a 'services:' key first", src.path(), tree.humanLine(document));
            }
            if (d.v1Format && memory instanceof MemoryValue.EnvReference) {
                throw new RefusedException("this is a version-1 compose file (services at the top level), whose interpolation"
                        + " has no ${VAR:-default} form; use literal mode, or move the file to a current format first",
                        src.path(), 1);
            }
        }
    }

    /** The items of the document's top-level {@code include:} list. */
    private List<Node> includes(ComposeDoc d) {
        if (d.v1Format || !(d.document instanceof MapNode root) || ComposeDoc.lookup(root, "include") == null) {
            return List.of();
        }
        Node v = YamlTree.resolve(ComposeDoc.lookup(root, "include").entry().value());
        return v instanceof SeqNode q ? q.items : List.of(v);
    }

    /** A file another one names, as given in the request; refused at the naming line when it was not given. */
    ComposeSource referenced(String path, String how, ComposeDoc namer, Node at) {
        ComposeSource src = referenced.get(path);
        if (src == null) {
            throw new RefusedException("this line names " + path + " (" + how + "), which Headroom was not given (the scan reads"
                    + " the files named by the containers' compose labels); edit that file yourself, or copy what it defines"
                    + " into a file the project lists with -f, then fix again", namer.path, namer.tree.humanLine(at));
        }
        return src;
    }

    /** Where a key of a service is defined: the document and the chain of entries down to it. */
    record Located(ComposeDoc doc, List<ComposeDoc.Found> chain) {
        ComposeDoc.Found leaf() {
            return chain.get(chain.size() - 1);
        }
    }

    /**
     * The definition of {@code path} in service {@code t} that wins once the documents are merged in order: the
     * last one, except that a later document whose value for the path or one of its parents carries Compose's
     * {@code !reset} / {@code !override} hides the earlier ones (only its own definition counts). Null if none.
     */
    Located winning(String t, List<String> path) {
        Located out = null;
        for (ComposeDoc d : docs) {
            MapNode sm = d.serviceMap(t);
            if (sm == null) {
                continue;
            }
            for (int k = 1; k < path.size(); k++) {
                List<ComposeDoc.Found> prefix = ComposeDoc.lookupPath(sm, path.subList(0, k));
                if (prefix != null && ComposeDoc.composeTag(prefix.get(k - 1).entry()) != null) {
                    out = null;
                }
            }
            List<ComposeDoc.Found> chain = ComposeDoc.lookupPath(sm, path);
            if (chain != null) {
                out = new Located(d, chain);
            }
        }
        return out;
    }

    /** The last document that defines service {@code t} (where a key it lacks is added). */
    ComposeDoc lastDefining(String t) {
        ComposeDoc out = null;
        for (ComposeDoc d : docs) {
            if (d.serviceMap(t) != null) {
                out = d;
            }
        }
        return out;
    }

    /** A service this one extends, where it is defined: {@code doc} is a project file's document, or a referenced file's. */
    record Base(String service, ComposeDoc doc, MapNode map) {
    }

    /**
     * The services {@code t} inherits from through {@code extends} (same file or {@code file:}), nearest first,
     * or refused where a base cannot be found.
     */
    List<Base> extendsChain(String t) {
        List<Base> chain = new ArrayList<>();
        ComposeDoc at = null;
        MapNode svc = null;
        for (ComposeDoc d : docs) {
            MapNode sm = d.serviceMap(t);
            if (sm != null && ComposeDoc.lookup(sm, "extends") != null) {
                at = d;
                svc = sm;
            }
        }
        while (svc != null && chain.size() < 10) {
            ComposeDoc.Found ext = ComposeDoc.lookup(svc, "extends");
            if (ext == null) {
                break;
            }
            Node v = YamlTree.resolve(ext.entry().value());
            String service = null;
            String file = null;
            if (v instanceof ScalarNode s) {
                service = s.value;
            } else if (v instanceof MapNode m) {
                ComposeDoc.Found sf = ComposeDoc.lookup(m, "service");
                ComposeDoc.Found ff = ComposeDoc.lookup(m, "file");
                service = sf != null && YamlTree.resolve(sf.entry().value()) instanceof ScalarNode s ? s.value : null;
                file = ff != null && YamlTree.resolve(ff.entry().value()) instanceof ScalarNode s ? s.value : null;
            }
            if (service == null || service.contains("$") || file != null && file.contains("$")) {
                throw new RefusedException("an 'extends' Headroom cannot follow (it needs 'service:' as plain text); write the"
                        + " memory keys in this service yourself, then fix again", at.path, at.tree.humanLine(ext.entry().key()));
            }
            ComposeDoc baseDoc = null;
            MapNode base = null;
            if (file == null) {
                for (ComposeDoc d : docs) {
                    if (d.path.equals(at.path) && d.serviceMap(service) != null) {
                        baseDoc = d;
                        base = d.serviceMap(service);
                    }
                }
            } else {
                ComposeSource src = referenced(resolve(at.path, file), "extends", at, ext.entry().key());
                YamlTree tree;
                try {
                    tree = YamlTree.parse(src.text());
                } catch (RefusedException e) {
                    throw e.in(src.path());
                }
                for (Node document : tree.documents) {
                    ComposeDoc d = new ComposeDoc(src.path(), -1, tree, document);
                    if (d.serviceMap(service) != null) {
                        baseDoc = d;
                        base = d.serviceMap(service);
                    }
                }
            }
            if (base == null) {
                throw new RefusedException("'" + t + "' extends '" + service + "', which is not defined there; Compose would refuse"
                        + " it too. Correct the extends, then fix again", at.path, at.tree.humanLine(ext.entry().key()));
            }
            chain.add(new Base(service, baseDoc, base));
            at = baseDoc;
            svc = base;
        }
        return chain;
    }

    /**
     * A path named inside {@code namingFile} (an {@code env_file}, an {@code extends: file:}, an {@code include}),
     * resolved as Compose resolves it: relative to the naming file's directory, {@code .} and {@code ..} folded.
     */
    static String resolve(String namingFile, String named) {
        String base = named.startsWith("/") ? "" : namingFile.substring(0, namingFile.lastIndexOf('/') + 1);
        boolean absolute = (base + named).startsWith("/");
        java.util.Deque<String> parts = new java.util.ArrayDeque<>();
        for (String part : (base + named).split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..") && !parts.isEmpty() && !parts.peekLast().equals("..")) {
                parts.removeLast();
            } else {
                parts.addLast(part);
            }
        }
        return (absolute ? "/" : "") + String.join("/", parts);
    }

    String fileList() {
        return String.join(", ", paths);
    }
}
