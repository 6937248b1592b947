package io.headroom.compose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks an edit as data, read as Compose v2 reads it ({@link ComposeYaml}: YAML 1.2 scalars, merge keys
 * resolved, {@code !reset} / {@code !override} kept): every document of every file must be equal before and
 * after once the memory keys of the targeted services (and top-level {@code x-} extension fields) are set
 * aside; then, with all documents of all files merged in order as Compose merges them, every service that
 * is not targeted must be unchanged and every target must have exactly the intended memory values. Any
 * difference refuses the edit.
 */
final class Verifier {
    private Verifier() {
    }

    static void verify(ComposeProject project, List<String> newTexts, Set<String> targets, String value, ReservationPolicy policy) {
        List<Map<String, Object>> beforeDocs = new ArrayList<>();
        List<Map<String, Object>> afterDocs = new ArrayList<>();
        for (int i = 0; i < project.trees.size(); i++) {
            YamlTree tree = project.trees.get(i);
            String path = project.paths.get(i);
            String after = newTexts.get(i);
            List<Map<String, Object>> before = documents(tree.text, path);
            if (after.equals(tree.text)) {
                beforeDocs.addAll(before);
                afterDocs.addAll(before);
                continue;
            }
            YamlTree parsed;
            try {
                parsed = YamlTree.parse(after);
            } catch (RefusedException e) {
                throw fail(path, "the edited text does not parse back the same way: " + e.getMessage());
            }
            List<Map<String, Object>> now = documents(after, path);
            if (parsed.documents.size() != tree.documents.size() || now.size() != before.size()) {
                throw fail(path, "the edited text has a different number of YAML documents");
            }
            for (int k = 0; k < before.size(); k++) {
                compareDocument(path, before.get(k), now.get(k), targets);
            }
            beforeDocs.addAll(before);
            afterDocs.addAll(now);
        }
        Map<String, Object> servicesBefore = withExtends(project, services(merged(beforeDocs)), project.paths.get(0));
        Map<String, Object> servicesAfter = withExtends(project, services(merged(afterDocs)), project.paths.get(0));
        String where = project.trees.size() == 1 ? project.paths.get(0) : "the merged files";
        for (Object s : servicesBefore.keySet()) {
            if (!(s instanceof String name && targets.contains(name)) && !Objects.equals(servicesBefore.get(s), servicesAfter.get(s))) {
                throw new RefusedException("internal check failed, nothing edited: service '" + s
                        + "' would change once the files are merged", where, 0);
            }
        }
        for (String t : targets) {
            if (servicesAfter.get(t) instanceof Map<?, ?> svc) {
                checkTarget(t, svc, value, policy, where);
            } else {
                throw new RefusedException("internal check failed: service '" + t + "' is not a mapping once the files are merged",
                        where, 0);
            }
        }
    }

    /** One document before and after: equal but for the targets' memory keys and top-level x- fields. */
    private static void compareDocument(String path, Map<String, Object> before, Map<String, Object> now, Set<String> targets) {
        boolean v1 = !before.containsKey("services") && !before.containsKey("version");
        // YAML keys need not be strings: "7: x" loads an Integer key (found by fuzzing)
        Set<Object> keys = new LinkedHashSet<>(before.keySet());
        keys.addAll(now.keySet());
        for (Object key : keys) {
            String k = String.valueOf(key);
            if (v1 || k.startsWith("x-") || k.equals("services")) {
                continue; // extension fields: ignored by compose (an anchor edited there is checked through its users)
            }
            if (!Objects.equals(before.get(key), now.get(key))) {
                throw fail(path, "top-level '" + k + "' would change");
            }
        }
        Map<String, Object> sb = v1 ? before : services(before);
        Map<String, Object> sa = v1 ? now : services(now);
        if (!sb.keySet().equals(sa.keySet())) {
            throw fail(path, "the set of services would change");
        }
        for (Object s : sb.keySet()) {
            Object b = sb.get(s);
            Object a = sa.get(s);
            if (s instanceof String name && targets.contains(name)) { // a key can be null ("&a :"): Set.of rejects null
                b = stripMemoryKeys(b);
                a = stripMemoryKeys(a);
            }
            if (!Objects.equals(b, a)) {
                throw fail(path, "service '" + s + "' would change in more than its memory keys");
            }
        }
    }

    /** The effective memory values of one target, all files merged. */
    private static void checkTarget(String t, Map<?, ?> svc, String value, ReservationPolicy policy, String where) {
        Object limit = svc.get("mem_limit");
        Object reservation = svc.get("mem_reservation");
        Object deployLimit = at(svc, ComposeEditor.DEPLOY_LIMIT);
        Object deployReservation = at(svc, ComposeEditor.DEPLOY_RESERVATION);
        boolean limitsBlock = at(svc, ComposeEditor.DEPLOY_LIMITS) instanceof Map<?, ?>;
        boolean reservationsBlock = at(svc, ComposeEditor.DEPLOY_RESERVATIONS) instanceof Map<?, ?>;
        if (limit == null || !value.equals(String.valueOf(limit))) {
            throw new RefusedException("internal check failed: the effective mem_limit of '" + t + "' would be " + limit
                    + ", not " + value, where, 0);
        }
        if (deployLimit != null && !value.equals(String.valueOf(deployLimit))) {
            throw new RefusedException("internal check failed: deploy.resources.limits.memory of '" + t + "' would be "
                    + deployLimit, where, 0);
        }
        // Compose v2 reads a limits / reservations mapping without memory as 0, distinct from the key beside it
        if (limitsBlock && deployLimit == null) {
            throw new RefusedException("internal check failed: deploy.resources.limits of '" + t + "' would have no memory"
                    + " beside mem_limit, which Compose v2 refuses", where, 0);
        }
        if (reservationsBlock && reservation != null && deployReservation == null) {
            throw new RefusedException("internal check failed: deploy.resources.reservations of '" + t + "' would have no"
                    + " memory beside mem_reservation, which Compose v2 refuses", where, 0);
        }
        if (reservation != null && !value.equals(String.valueOf(reservation))) {
            throw new RefusedException("internal check failed: mem_reservation of '" + t + "' would still be " + reservation
                    + " (" + policy + ")", where, 0);
        }
        if (deployReservation != null && !value.equals(String.valueOf(deployReservation))) {
            throw new RefusedException("internal check failed: deploy.resources.reservations.memory of '" + t
                    + "' would still be " + deployReservation, where, 0);
        }
    }

    /** Every document merged in order; a version-1 document's top level is its services. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> merged(List<Map<String, Object>> docs) {
        Object project = new LinkedHashMap<>();
        for (Map<String, Object> d : docs) {
            boolean v1 = !d.containsKey("services") && !d.containsKey("version");
            project = ComposeYaml.merge(project, v1 ? Map.of("services", d) : d);
        }
        return (Map<String, Object>) project;
    }

    /**
     * Each service with what it {@code extends} merged under it (same file, or a referenced {@code file:}).
     * Approximation: the base is looked up among the merged services of the project (Compose looks in the
     * naming file), which is the same for the files the editor accepts.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> withExtends(ComposeProject project, Map<String, Object> services, String namingFile) {
        Map<Object, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : services.entrySet()) { // keys need not be strings: "7:" loads an Integer (fuzzing)
            out.put(e.getKey(), extended(project, services, e.getValue(), namingFile, 0));
        }
        return (Map<String, Object>) (Map<?, ?>) out;
    }

    @SuppressWarnings("unchecked")
    private static Object extended(ComposeProject project, Map<String, Object> services, Object svc, String namingFile, int depth) {
        if (!(svc instanceof Map<?, ?> m) || !m.containsKey("extends") || depth > 10) {
            return svc;
        }
        Object ext = m.get("extends");
        String service = ext instanceof Map<?, ?> em ? String.valueOf(em.get("service")) : String.valueOf(ext);
        Object file = ext instanceof Map<?, ?> em ? em.get("file") : null;
        Map<String, Object> scope = services;
        String baseFile = namingFile;
        if (file != null) {
            baseFile = ComposeProject.resolve(namingFile, String.valueOf(file));
            ComposeSource src = project.referenced.get(baseFile);
            if (src == null) {
                return svc;
            }
            scope = services(merged(documents(src.text(), src.path())));
        }
        Object base = extended(project, scope, scope.get(service), baseFile, depth + 1);
        Map<Object, Object> local = new LinkedHashMap<>((Map<Object, Object>) m);
        local.remove("extends");
        return ComposeYaml.merge(base instanceof Map<?, ?> ? base : new LinkedHashMap<>(), local);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> documents(String text, String path) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : ComposeYaml.loadAll(text, path)) {
            if (!(o instanceof Map<?, ?> m)) {
                throw new RefusedException("the top level is not a mapping", path, 0);
            }
            out.add((Map<String, Object>) m);
        }
        return out;
    }

    /** The first document as data (tests: what a file says once edited). */
    static Map<String, Object> load(String text, String path) {
        List<Map<String, Object>> docs = documents(text, path);
        if (docs.isEmpty()) {
            throw new RefusedException("the file is empty", path, 0);
        }
        return docs.get(0);
    }

    private static RefusedException fail(String path, String why) {
        return new RefusedException("internal check failed, nothing edited: " + why, path, 0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> services(Map<String, Object> root) {
        Object s = root.get("services");
        return s instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static Object at(Map<?, ?> m, List<String> path) {
        Object cur = m;
        for (String k : path) {
            if (!(cur instanceof Map<?, ?> cm) || !cm.containsKey(k)) {
                return null;
            }
            cur = cm.get(k);
        }
        return cur;
    }

    /** A copy of a service without its memory keys (and deploy mappings left empty by that). */
    @SuppressWarnings("unchecked")
    private static Object stripMemoryKeys(Object svc) {
        if (!(svc instanceof Map<?, ?> m)) {
            return svc;
        }
        Map<Object, Object> copy = (Map<Object, Object>) ComposeYaml.normalize(ComposeYaml.untag(m));
        copy.remove("mem_limit");
        copy.remove("mem_reservation");
        if (copy.get("deploy") instanceof Map<?, ?> deploy) {
            Map<Object, Object> dep = (Map<Object, Object>) deploy;
            if (dep.get("resources") instanceof Map<?, ?> resources) {
                Map<Object, Object> res = (Map<Object, Object>) resources;
                for (String k : List.of("limits", "reservations")) {
                    if (res.get(k) instanceof Map<?, ?> lm) {
                        ((Map<Object, Object>) lm).remove("memory");
                        if (lm.isEmpty()) {
                            res.remove(k);
                        }
                    }
                }
                if (res.isEmpty()) {
                    dep.remove("resources");
                }
            }
            if (dep.isEmpty()) {
                copy.remove("deploy");
            }
        }
        return copy;
    }
}
