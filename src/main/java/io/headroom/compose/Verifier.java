package io.headroom.compose;

import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks an edit as data: both texts are loaded (SnakeYAML, YAML 1.1 like docker-compose 1.29's
 * PyYAML; merge keys resolved) and must be equal once the memory keys of the targeted services (and
 * top-level {@code x-} extension fields) are set aside; then the effective values over all files, in
 * {@code -f} order, must be the intended ones. Any difference refuses the edit.
 */
final class Verifier {
    private Verifier() {
    }

    static void verify(List<ComposeDoc> docs, List<String> newTexts, Set<String> targets, String value, ReservationPolicy policy) {
        List<Map<String, Object>> newServices = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            ComposeDoc d = docs.get(i);
            String after = newTexts.get(i);
            if (after.equals(d.tree.text)) {
                newServices.add(services(load(d.tree.text, d.path), d.v1Format));
                continue;
            }
            ComposeDoc nd;
            try {
                nd = new ComposeDoc(d.path, i, YamlTree.parse(after));
            } catch (RefusedException e) {
                throw fail(d, "the edited text does not parse back the same way: " + e.getMessage());
            }
            if (nd.v1Format != d.v1Format || !nd.services.keySet().equals(d.services.keySet())) {
                throw fail(d, "the edited text has different services");
            }
            Map<String, Object> before = load(d.tree.text, d.path);
            Map<String, Object> now = load(after, d.path);
            // YAML keys need not be strings: "7: x" loads an Integer key (found by fuzzing)
            Set<Object> keys = new LinkedHashSet<>(before.keySet());
            keys.addAll(now.keySet());
            for (Object key : keys) {
                String k = String.valueOf(key);
                if (!d.v1Format && k.startsWith("x-")) {
                    continue; // extension fields: ignored by compose (an anchor edited there is checked through its users)
                }
                if (!d.v1Format && k.equals("services")) {
                    continue;
                }
                if (d.v1Format) {
                    continue;
                }
                if (!Objects.equals(before.get(key), now.get(key))) {
                    throw fail(d, "top-level '" + k + "' would change");
                }
            }
            Map<String, Object> sb = services(before, d.v1Format);
            Map<String, Object> sa = services(now, d.v1Format);
            if (!sb.keySet().equals(sa.keySet())) {
                throw fail(d, "the set of services would change");
            }
            for (Object s : sb.keySet()) {
                Object b = sb.get(s);
                Object a = sa.get(s);
                if (s instanceof String name && targets.contains(name)) { // a key can be null ("&a :"): Set.of rejects null
                    b = stripMemoryKeys(b);
                    a = stripMemoryKeys(a);
                }
                if (!Objects.equals(b, a)) {
                    throw fail(d, "service '" + s + "' would change in more than its memory keys");
                }
            }
            newServices.add(sa);
        }
        // effective values, files merged in order
        for (String t : targets) {
            Object limit = null;
            Object reservation = null;
            Object deployLimit = null;
            Object deployReservation = null;
            boolean limitsBlock = false;
            boolean reservationsBlock = false;
            for (Map<String, Object> services : newServices) {
                if (!(services.get(t) instanceof Map<?, ?> svc)) {
                    continue;
                }
                if (svc.containsKey("mem_limit")) {
                    limit = svc.get("mem_limit");
                }
                if (svc.containsKey("mem_reservation")) {
                    reservation = svc.get("mem_reservation");
                }
                Object dl = at(svc, ComposeEditor.DEPLOY_LIMIT);
                if (dl != null) {
                    deployLimit = dl;
                }
                limitsBlock |= at(svc, ComposeEditor.DEPLOY_LIMITS) instanceof Map<?, ?>;
                reservationsBlock |= at(svc, ComposeEditor.DEPLOY_RESERVATIONS) instanceof Map<?, ?>;
                Object dr = at(svc, ComposeEditor.DEPLOY_RESERVATION);
                if (dr != null) {
                    deployReservation = dr;
                }
            }
            String where = docs.size() == 1 ? docs.get(0).path : "the merged files";
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
    }

    private static RefusedException fail(ComposeDoc d, String why) {
        return new RefusedException("internal check failed, nothing edited: " + why, d.path, 0);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> load(String text, String path) {
        try {
            Object o = new Yaml(new SafeConstructor(YamlTree.loaderOptions())).load(text);
            if (!(o instanceof Map<?, ?>)) {
                throw new RefusedException("the top level is not a mapping", path, 0);
            }
            return (Map<String, Object>) normalize(o);
        } catch (YAMLException | ClassCastException e) {
            throw new RefusedException("cannot load the YAML: " + e.getMessage(), path, 0);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> services(Map<String, Object> root, boolean v1) {
        if (v1) {
            return root;
        }
        Object s = root.get("services");
        return s instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** Plain, comparable data: maps keep order, byte arrays become text. */
    private static Object normalize(Object o) {
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
        if (o instanceof byte[] b) {
            return "!!binary " + Base64.getEncoder().encodeToString(b);
        }
        return o;
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
        Map<Object, Object> copy = (Map<Object, Object>) normalize(m);
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
