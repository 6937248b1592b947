package io.headroom.compose;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The compose files of one project as Compose reads them: each file parsed, in {@code -f} order (later
 * files override earlier ones), every targeted service defined in at least one of them.
 */
final class ComposeProject {
    final List<ComposeDoc> docs = new ArrayList<>();

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
            ComposeDoc d;
            try {
                d = new ComposeDoc(src.path(), i, YamlTree.parse(src.text()));
            } catch (RefusedException e) {
                throw e.in(src.path());
            }
            p.docs.add(d);
            if (d.v1Format && req.memory() instanceof MemoryValue.EnvReference) {
                throw new RefusedException("this is a version-1 compose file (services at the top level), whose interpolation"
                        + " has no ${VAR:-default} form; use literal mode, or move the file to a current format first",
                        src.path(), 1);
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

    String fileList() {
        return docs.size() == 1 ? docs.get(0).path : String.join(", ", docs.stream().map(d -> d.path).toList());
    }
}
