package io.headroom.compose;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The compose files of one project as Compose reads them: each file parsed, in {@code -f} order (later
 * files override earlier ones), every targeted service defined in at least one of them.
 */
final class ComposeProject {
    /** Every document of every file, in the order Compose merges them. */
    final List<ComposeDoc> docs = new ArrayList<>();
    /** Each file's tree, by file index. */
    final List<YamlTree> trees = new ArrayList<>();
    final List<String> paths = new ArrayList<>();

    private ComposeProject() {
    }

    static ComposeProject load(EditRequest req) {
        ComposeProject p = new ComposeProject();
        for (int i = 0; i < req.files().size(); i++) {
            ComposeSource src = req.files().get(i);
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
            p.trees.add(tree);
            p.paths.add(src.path());
            for (YamlTree.Node document : tree.documents) {
                ComposeDoc d = new ComposeDoc(src.path(), i, tree, document);
                p.docs.add(d);
                if (d.v1Format && tree.documents.size() > 1) {
                    throw new RefusedException("a document without 'services:' in a '---' stream: Compose v2 does not read"
                            + " version-1 files; give this document a 'services:' key first", src.path(), tree.humanLine(document));
                }
                if (d.v1Format && req.memory() instanceof MemoryValue.EnvReference) {
                    throw new RefusedException("this is a version-1 compose file (services at the top level), whose interpolation"
                            + " has no ${VAR:-default} form; use literal mode, or move the file to a current format first",
                            src.path(), 1);
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
