package io.headroom.compose;

import io.headroom.compose.ComposeDoc.Found;
import io.headroom.compose.YamlTree.AliasNode;
import io.headroom.compose.YamlTree.Entry;
import io.headroom.compose.YamlTree.MapNode;
import io.headroom.compose.YamlTree.Node;
import io.headroom.compose.YamlTree.ScalarNode;
import io.headroom.compose.YamlTree.Style;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sets the memory limit of chosen services in docker-compose files as a <b>minimal edit</b> of their
 * text: comments, key order, quoting, blank lines, indentation, anchors, aliases and merge keys stay
 * byte-identical; only the memory keys of the targeted services change. Pure: text in, text out.
 *
 * <h2>What is changed</h2>
 * <ul>
 *   <li>{@code mem_limit}: replaced in place where its effective value is written (keeping its
 *       quotes), or inserted right after the service's first key (with the service's indentation; in a
 *       flow mapping, after its first entry) when absent. With several {@code -f} files the value is
 *       edited in the last file that defines it (the effective one), or inserted into the last file
 *       that defines the service.</li>
 *   <li>{@code deploy.resources.limits.memory}, when present, is set to the same value (compose
 *       rejects distinct values). docker-compose 1.29's schema wants a string there, so a literal is
 *       written quoted. A {@code deploy.resources.limits} mapping without {@code memory} gets it too:
 *       Compose v2 counts a missing memory as 0 and refuses a project where it differs from
 *       {@code mem_limit}; an input that Compose v2 refuses so (limits or reservations) is refused
 *       here with its line.</li>
 *   <li>{@code mem_reservation} and {@code deploy.resources.reservations.memory} follow the
 *       {@link ReservationPolicy}: removed (default) or set equal to the limit.</li>
 * </ul>
 *
 * <h2>Anchors and merge keys</h2>
 * A value inherited through {@code <<: *anchor} is not edited in the anchor unless every service
 * that takes its value from there is targeted; otherwise the service gets an explicit key, which
 * overrides the merge. What cannot be done without breaking a sharing (a whole service that is an
 * alias of a non-targeted one, a service merged into a non-targeted one, a {@code deploy} block
 * inherited from an anchor shared with non-targeted services, a value anchor {@code &x} reused
 * elsewhere) is refused.
 *
 * <h2>Verification</h2>
 * Every result is re-parsed and compared with the original as data: outside the memory keys of the
 * targeted services (and top-level {@code x-} extension fields, which compose ignores) nothing may
 * differ, and the effective values across all files must be the intended ones; otherwise the edit is
 * refused.
 */
public final class ComposeEditor {
    static final List<String> MEM_LIMIT = List.of("mem_limit");
    static final List<String> MEM_RESERVATION = List.of("mem_reservation");
    static final List<String> DEPLOY_LIMIT = List.of("deploy", "resources", "limits", "memory");
    static final List<String> DEPLOY_RESERVATION = List.of("deploy", "resources", "reservations", "memory");
    static final List<String> DEPLOY_LIMITS = List.of("deploy", "resources", "limits");
    static final List<String> DEPLOY_RESERVATIONS = List.of("deploy", "resources", "reservations");

    private ComposeEditor() {
    }

    /** Plans, applies and verifies the edit; never throws for a file it will not edit (see {@link EditResult.Refused}). */
    public static EditResult edit(EditRequest request) {
        try {
            return new Planner(request).run();
        } catch (RefusedException e) {
            return new EditResult.Refused(e.getMessage(), e.path, e.line);
        }
    }

    /** As {@link #edit(EditRequest)}, throwing {@link ComposeEditRefusedException} instead of returning a refusal. */
    public static EditResult.Edited editOrThrow(EditRequest request) {
        EditResult r = edit(request);
        if (r instanceof EditResult.Refused refused) {
            throw new ComposeEditRefusedException(refused);
        }
        return (EditResult.Edited) r;
    }

    /**
     * The conventional override file beside a compose file ({@code compose.yaml} → {@code compose.override.yaml},
     * {@code docker-compose.yml} → {@code docker-compose.override.yml}), or null when the name is not a default one.
     */
    public static String defaultOverrideName(String composeFileName) {
        String base = composeFileName.substring(composeFileName.lastIndexOf('/') + 1);
        String dir = composeFileName.substring(0, composeFileName.length() - base.length());
        return switch (base) {
            case "compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml" ->
                    dir + base.substring(0, base.lastIndexOf('.')) + ".override" + base.substring(base.lastIndexOf('.'));
            default -> null;
        };
    }

    /** Parses docker's memory notation ({@code 512m}, {@code 4g}, {@code 1.5GiB}, plain bytes); null if not one. */
    static Long dockerBytes(String s) {
        Matcher m = Pattern.compile("^(\\d+(?:\\.\\d+)?) ?([kKmMgGtTpP])?[iI]?[bB]?$").matcher(s.strip());
        if (!m.matches()) {
            return null;
        }
        BigDecimal n = new BigDecimal(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
        int pow = "kmgtp".indexOf(unit.isEmpty() ? "x" : unit) + 1;
        BigDecimal mult = BigDecimal.valueOf(1024).pow(pow);
        try {
            return n.multiply(mult).longValue();
        } catch (ArithmeticException e) {
            return null;
        }
    }

    // ====================================================================== planning

    /** A text replacement: [start, end) becomes replacement. */
    record TextEdit(int start, int end, String replacement, int seq) {
    }

    /** What may follow a flow entry that sits alone on its line(s): its comma, blanks, a comment. */
    private static final Pattern FLOW_ENTRY_REST = Pattern.compile("[ \\t]*,[ \\t]*(#.*)?");

    private static final class Planner {
        private final EditRequest req;
        private final Set<String> targets;
        private final String value;
        private final List<ComposeDoc> docs = new ArrayList<>();
        private final List<List<TextEdit>> edits = new ArrayList<>();
        private final List<List<KeyChange>> changes = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        private final Set<Entry> touchedEntries = Collections.newSetFromMap(new IdentityHashMap<>());
        private final Map<MapNode, Set<String>> insertedKeys = new IdentityHashMap<>();
        private int seq;

        Planner(EditRequest req) {
            this.req = req;
            this.targets = req.services();
            this.value = req.memory().text();
        }

        EditResult run() {
            for (int i = 0; i < req.files().size(); i++) {
                ComposeSource src = req.files().get(i);
                if (src.truncated()) {
                    throw new RefusedException("the file was read only in part (the probe capped it); Headroom edits only whole files",
                            src.path(), 0);
                }
                try {
                    docs.add(new ComposeDoc(src.path(), i, YamlTree.parse(src.text())));
                } catch (RefusedException e) {
                    throw e.in(src.path());
                }
                edits.add(new ArrayList<>());
                changes.add(new ArrayList<>());
                if (docs.get(i).v1Format && req.memory() instanceof MemoryValue.EnvReference) {
                    throw new RefusedException("this is a version-1 compose file (services at the top level), whose interpolation"
                            + " has no ${VAR:-default} form; use literal mode, or move the file to a current format first",
                            src.path(), 1);
                }
            }
            for (String t : new TreeSet<>(targets)) {
                boolean defined = false;
                for (ComposeDoc d : docs) {
                    try {
                        if (d.serviceMap(t) != null) {
                            defined = true;
                        }
                    } catch (RefusedException e) {
                        throw e.in(d.path);
                    }
                }
                if (!defined) {
                    throw new RefusedException("service '" + t + "' is not defined in " + fileList(), null, 0);
                }
            }
            for (String t : new TreeSet<>(targets)) {
                requireComposeV2Accepts(t, "mem_limit", DEPLOY_LIMITS);
                requireComposeV2Accepts(t, "mem_reservation", DEPLOY_RESERVATIONS);
            }
            for (String t : new TreeSet<>(targets)) {
                planMemLimit(t);
                planDeployLimit(t);
                planReservation(t);
                planDeployReservation(t);
                checkOthers(t);
            }
            List<FileEdit> out = new ArrayList<>();
            List<String> newTexts = new ArrayList<>();
            for (int i = 0; i < docs.size(); i++) {
                ComposeDoc d = docs.get(i);
                String after = apply(d, edits.get(i));
                newTexts.add(after);
                List<KeyChange> cs = new ArrayList<>(changes.get(i));
                cs.sort(Comparator.comparingInt(KeyChange::line));
                out.add(new FileEdit(d.path, i, d.tree.text, after, cs));
            }
            Verifier.verify(docs, newTexts, targets, value, req.reservations());
            return new EditResult.Edited(out, notes);
        }

        private String fileList() {
            return docs.size() == 1 ? docs.get(0).path : String.join(", ", docs.stream().map(d -> d.path).toList());
        }

        private String where(ComposeDoc d) {
            return docs.size() > 1 ? " in " + d.path : "";
        }

        // -------------------------------------------------------------- mem_limit

        private void planMemLimit(String t) {
            ComposeDoc at = null;
            Found found = null;
            ComposeDoc lastDefining = null;
            for (ComposeDoc d : docs) {
                MapNode sm = d.serviceMap(t);
                if (sm == null) {
                    continue;
                }
                lastDefining = d;
                Found f = ComposeDoc.lookup(sm, "mem_limit");
                if (f != null) {
                    at = d;
                    found = f;
                }
            }
            if (found != null) {
                List<String> users = at.usersOf(found.entry(), MEM_LIMIT);
                MapNode own = at.serviceMap(t);
                if (targets.containsAll(users)) {
                    replace(at, t, "mem_limit", found, own, users, false);
                } else if (found.owner() == own) {
                    throw new RefusedException("mem_limit of '" + t + "' is also the value of " + others(users)
                            + " (they share its mapping through an anchor/merge key); target them too, or give them their own mem_limit",
                            at.path, at.tree.humanLine(found.entry().key()));
                } else {
                    insert(at, t, own, "mem_limit", false);
                    notes.add(t + ": mem_limit came from the anchored mapping " + ComposeDoc.anchorName(found.owner())
                            + " (line " + at.tree.humanLine(found.entry().key()) + ") that " + others(users)
                            + " also use; an explicit mem_limit was added to '" + t + "' instead (it overrides the merge)" + where(at));
                }
                if (docs.size() > 1) {
                    notes.add(t + ": mem_limit edited in " + at.path + ", where its effective value is defined");
                }
            } else {
                insert(lastDefining, t, lastDefining.serviceMap(t), "mem_limit", false);
                if (docs.size() > 1) {
                    notes.add(t + ": mem_limit added to " + lastDefining.path + ", the last file that defines the service");
                }
            }
        }

        // -------------------------------------------------------------- what Compose v2 refuses

        /**
         * Compose v2 (compose-go) refuses a service whose {@code key} ({@code mem_limit} /
         * {@code mem_reservation}) and {@code deploy.resources.limits|reservations.memory} differ in bytes; a
         * {@code limits} / {@code reservations} mapping without {@code memory} counts as 0, i.e. as different:
         * "can't set distinct values on 'mem_limit' and 'deploy.resources.limits.memory': invalid compose
         * project" (docker compose 2.26.1 on the lab's v2 VM, ComposeV2RulesV2IT). Such an input is refused
         * here with both places: an edit would hide that {@code docker compose} cannot start the file. Values
         * with {@code ${…}} are compared only by compose itself (the push validates with the VM's own
         * {@code docker compose config}).
         */
        private void requireComposeV2Accepts(String t, String key, List<String> blockPath) {
            ComposeDoc keyDoc = null;
            Found keyFound = null;
            ComposeDoc blockDoc = null;
            Found blockFound = null;
            for (ComposeDoc d : docs) {
                MapNode sm = d.serviceMap(t);
                if (sm == null) {
                    continue;
                }
                Found f = ComposeDoc.lookup(sm, key);
                if (f != null) {
                    keyDoc = d;
                    keyFound = f;
                }
                List<Found> chain = ComposeDoc.lookupPath(sm, blockPath);
                if (chain != null) {
                    blockDoc = d;
                    blockFound = chain.get(chain.size() - 1);
                }
            }
            if (keyFound == null || blockFound == null
                    || !(YamlTree.resolve(keyFound.entry().value()) instanceof ScalarNode keyValue)
                    || !(YamlTree.resolve(blockFound.entry().value()) instanceof MapNode block)) {
                return;
            }
            Found memory = ComposeDoc.lookup(block, "memory");
            String memoryText = memory != null && YamlTree.resolve(memory.entry().value()) instanceof ScalarNode m ? m.value : null;
            if (memory != null && memoryText == null || keyValue.value.contains("$") || memoryText != null && memoryText.contains("$")) {
                return;
            }
            Long a = dockerBytes(keyValue.value);
            Long b = memoryText == null ? Long.valueOf(0) : dockerBytes(memoryText);
            if (a == null || b == null || a.equals(b)) {
                return;
            }
            String blockName = String.join(".", blockPath);
            String other = memoryText == null
                    ? blockName + " at line " + blockDoc.tree.humanLine(blockFound.entry().key()) + " has no memory, which counts as 0"
                    : blockName + ".memory is " + memoryText + " (line " + blockDoc.tree.humanLine(memory.entry().key())
                            + (blockDoc != keyDoc ? " of " + blockDoc.path : "") + ")";
            throw new RefusedException("docker compose (Compose v2) refuses '" + t + "' as it is: " + key + " is " + keyValue.value
                    + " but " + other + " (\"can't set distinct values on '" + key + "' and '" + blockName + ".memory'\")."
                    + " docker-compose 1.29 ignored deploy outside swarm; make the two equal, or remove one, then fix again",
                    keyDoc.path, keyDoc.tree.humanLine(keyFound.entry().key()));
        }

        // -------------------------------------------------------------- deploy.resources.limits.memory

        private void planDeployLimit(String t) {
            ComposeDoc at = null;
            List<Found> chain = null;
            for (ComposeDoc d : docs) {
                MapNode sm = d.serviceMap(t);
                if (sm == null) {
                    continue;
                }
                List<Found> c = ComposeDoc.lookupPath(sm, DEPLOY_LIMIT);
                if (c != null) {
                    at = d;
                    chain = c;
                }
            }
            if (chain == null) {
                addMemoryToLimitsBlock(t);
                return;
            }
            Found leaf = chain.get(chain.size() - 1);
            List<String> users = at.usersOf(leaf.entry(), DEPLOY_LIMIT);
            if (!targets.containsAll(users)) {
                throw new RefusedException("deploy.resources.limits.memory of '" + t + "' is shared with " + others(users)
                        + " through an anchor; overriding it for '" + t + "' alone would mean copying the whole deploy block."
                        + " Target them too, or give '" + t + "' its own deploy block",
                        at.path, at.tree.humanLine(leaf.entry().key()));
            }
            replace(at, t, "deploy.resources.limits.memory", leaf, at.serviceMap(t), users, true);
        }

        /**
         * A {@code deploy.resources.limits} mapping without {@code memory} (e.g. only {@code cpus}) beside the
         * new {@code mem_limit} counts as a limit of 0 for Compose v2, which then refuses the project: the
         * limit is written there too, the same value.
         */
        private void addMemoryToLimitsBlock(String t) {
            ComposeDoc at = null;
            MapNode limits = null;
            for (ComposeDoc d : docs) {
                MapNode sm = d.serviceMap(t);
                List<Found> chain = sm == null ? null : ComposeDoc.lookupPath(sm, DEPLOY_LIMITS);
                if (chain != null && YamlTree.resolve(chain.get(chain.size() - 1).entry().value()) instanceof MapNode m) {
                    at = d;
                    limits = m;
                }
            }
            if (limits == null) {
                return;
            }
            List<String> users = new ArrayList<>();
            for (String name : at.services.keySet()) {
                MapNode sm = at.serviceMap(name);
                List<Found> chain = sm == null ? null : ComposeDoc.lookupPath(sm, DEPLOY_LIMITS);
                if (chain != null && YamlTree.resolve(chain.get(chain.size() - 1).entry().value()) == limits) {
                    users.add(name);
                }
            }
            if (!targets.containsAll(users)) {
                throw new RefusedException("deploy.resources.limits of '" + t + "' has no memory and is shared with " + others(users)
                        + " through an anchor; Compose v2 needs the memory limit there too, which would change them. Target them"
                        + " too, or give '" + t + "' its own deploy block", at.path, at.tree.humanLine(at.services.get(t).key()));
            }
            if (limits.entries.isEmpty() && !limits.flow) {
                throw new RefusedException("deploy.resources.limits of '" + t + "' is empty; Compose v2 reads that as a memory limit"
                        + " of 0, distinct from mem_limit. Remove it, or write its memory", at.path, at.tree.humanLine(at.services.get(t).key()));
            }
            insert(at, t, limits, "memory", "deploy.resources.limits.memory", true);
            notes.add(t + ": deploy.resources.limits had no memory; Compose v2 would take that as 0 and refuse the file, so the"
                    + " limit was written there too" + where(at));
        }

        // -------------------------------------------------------------- mem_reservation

        private void planReservation(String t) {
            if (req.reservations() == ReservationPolicy.MATCH_LIMIT) {
                ComposeDoc at = null;
                Found found = null;
                for (ComposeDoc d : docs) {
                    MapNode sm = d.serviceMap(t);
                    if (sm != null) {
                        Found f = ComposeDoc.lookup(sm, "mem_reservation");
                        if (f != null) {
                            at = d;
                            found = f;
                        }
                    }
                }
                if (found != null) {
                    setReservationExplicitly(at, t, found, null);
                }
                return;
            }
            for (ComposeDoc d : docs) {
                MapNode sm = d.serviceMap(t);
                if (sm == null) {
                    continue;
                }
                List<Found> defs = ComposeDoc.allDefinitions(sm, "mem_reservation");
                if (defs.isEmpty()) {
                    continue;
                }
                List<String> blocking = new ArrayList<>();
                for (Found f : defs) {
                    for (String u : d.usersOf(f.entry(), MEM_RESERVATION)) {
                        if (!targets.contains(u) && !blocking.contains(u)) {
                            blocking.add(u);
                        }
                    }
                }
                if (blocking.isEmpty()) {
                    for (Found f : defs) {
                        remove(d, t, "mem_reservation", List.of(f), sm);
                    }
                } else {
                    setReservationExplicitly(d, t, defs.get(0),
                            "mem_reservation of '" + t + "' is shared through an anchor with " + others(blocking)
                                    + ", so it was not removed; '" + t + "' got mem_reservation equal to its limit instead" + where(d));
                }
            }
        }

        private void setReservationExplicitly(ComposeDoc at, String t, Found found, String note) {
            MapNode own = at.serviceMap(t);
            List<String> users = at.usersOf(found.entry(), MEM_RESERVATION);
            if (targets.containsAll(users)) {
                replace(at, t, "mem_reservation", found, own, users, false);
            } else if (found.owner() == own) {
                throw new RefusedException("mem_reservation of '" + t + "' is also the value of " + others(users)
                        + " (they share its mapping through an anchor/merge key); target them too", at.path,
                        at.tree.humanLine(found.entry().key()));
            } else {
                insert(at, t, own, "mem_reservation", false);
            }
            if (note != null) {
                notes.add(note);
            }
        }

        // -------------------------------------------------------------- deploy.resources.reservations.memory

        private void planDeployReservation(String t) {
            if (req.reservations() == ReservationPolicy.MATCH_LIMIT) {
                ComposeDoc at = null;
                List<Found> chain = null;
                for (ComposeDoc d : docs) {
                    MapNode sm = d.serviceMap(t);
                    if (sm != null) {
                        List<Found> c = ComposeDoc.lookupPath(sm, DEPLOY_RESERVATION);
                        if (c != null) {
                            at = d;
                            chain = c;
                        }
                    }
                }
                if (chain != null) {
                    Found leaf = chain.get(chain.size() - 1);
                    List<String> users = at.usersOf(leaf.entry(), DEPLOY_RESERVATION);
                    requireOnlyTargets(at, t, leaf, users, "deploy.resources.reservations.memory");
                    replace(at, t, "deploy.resources.reservations.memory", leaf, at.serviceMap(t), users, true);
                }
                return;
            }
            for (ComposeDoc d : docs) {
                MapNode sm = d.serviceMap(t);
                if (sm == null) {
                    continue;
                }
                List<Found> chain = ComposeDoc.lookupPath(sm, DEPLOY_RESERVATION);
                if (chain == null) {
                    continue;
                }
                Found leaf = chain.get(chain.size() - 1);
                List<String> users = d.usersOf(leaf.entry(), DEPLOY_RESERVATION);
                requireOnlyTargets(d, t, leaf, users, "deploy.resources.reservations.memory");
                // remove the leaf, or the highest ancestor that would be left empty (never the service itself)
                int k = chain.size() - 1;
                while (k > 0) {
                    Found cur = chain.get(k);
                    Node parentValue = chain.get(k - 1).entry().value();
                    if (parentValue instanceof AliasNode || cur.owner() != YamlTree.resolve(parentValue)
                            || cur.owner().entries.size() != 1) {
                        break;
                    }
                    k--;
                }
                Found top = chain.get(k);
                if (top.owner().entries.size() == 1) {
                    // removing would leave an empty mapping (the service, or a shared anchor): set it instead
                    replace(d, t, "deploy.resources.reservations.memory", leaf, sm, users, true);
                    notes.add(t + ": deploy.resources.reservations.memory set equal to the limit (removing it would leave an empty mapping)"
                            + where(d));
                } else {
                    remove(d, t, "deploy.resources.reservations.memory", chain.subList(k, chain.size()), sm);
                }
            }
        }

        private void requireOnlyTargets(ComposeDoc d, String t, Found leaf, List<String> users, String key) {
            if (!targets.containsAll(users)) {
                throw new RefusedException(key + " of '" + t + "' is shared with " + others(users)
                        + " through an anchor; changing it would change them too. Target them too, or give '" + t
                        + "' its own deploy block", d.path, d.tree.humanLine(leaf.entry().key()));
            }
        }

        // -------------------------------------------------------------- other checks

        private void checkOthers(String t) {
            Found swap = null;
            ComposeDoc swapDoc = null;
            for (ComposeDoc d : docs) {
                MapNode sm = d.serviceMap(t);
                if (sm == null) {
                    continue;
                }
                Found f = ComposeDoc.lookup(sm, "memswap_limit");
                if (f != null) {
                    swap = f;
                    swapDoc = d;
                }
                if (ComposeDoc.lookup(sm, "extends") != null) {
                    notes.add(t + ": uses 'extends'; the explicit keys written here override what it inherits, but memory"
                            + " reservations of the extended service were not inspected" + where(d));
                }
            }
            if (swap != null) {
                Node v = YamlTree.resolve(swap.entry().value());
                String s = v instanceof ScalarNode sc ? sc.value : "";
                Long swapBytes = dockerBytes(s);
                boolean unlimited = s.strip().equals("-1") || s.strip().equals("0");
                if (req.memory() instanceof MemoryValue.Literal lit && swapBytes != null && !unlimited && swapBytes < lit.bytes()) {
                    throw new RefusedException("memswap_limit of '" + t + "' (" + s + ") is below the new limit (" + lit.bytes()
                            + " bytes); docker would refuse to create the container. Raise or remove memswap_limit first",
                            swapDoc.path, swapDoc.tree.humanLine(swap.entry().key()));
                }
                if (!unlimited) {
                    notes.add(t + ": memswap_limit is set (" + s + "); it must stay at or above the memory limit" + where(swapDoc));
                }
            }
        }

        private String others(List<String> users) {
            List<String> o = users.stream().filter(u -> !targets.contains(u)).map(u -> "'" + u + "'").toList();
            return o.isEmpty() ? "other services" : String.join(", ", o);
        }

        // ============================================================== text operations

        private void add(ComposeDoc d, int start, int end, String replacement) {
            edits.get(d.index).add(new TextEdit(start, end, replacement, seq++));
        }

        private void checkNoTabs(ComposeDoc d, int fromLine, int toLine) {
            for (int l = fromLine; l <= toLine; l++) {
                if (d.tree.lineText(l).indexOf('\t') >= 0) {
                    throw new RefusedException("a tab character on a line that would be edited; Headroom edits only space-indented lines"
                            + " without tabs", d.path, l + 1);
                }
            }
        }

        /** Replaces the value of an existing entry (which all its users are targeted). */
        private void replace(ComposeDoc d, String t, String key, Found f, MapNode own, List<String> users, boolean mustBeString) {
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
            String rendered = render(value, style, v.inFlow, mustBeString);
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
        private void insert(ComposeDoc d, String t, MapNode own, String key, boolean mustBeString) {
            insert(d, t, own, key, key, mustBeString);
        }

        /** Inserts {@code key} into the mapping {@code own} (the service's, or one inside it); {@code label} names it in changes. */
        private void insert(ComposeDoc d, String t, MapNode own, String key, String label, boolean mustBeString) {
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
                    rendered = key + ": " + render(value, Style.PLAIN, true, mustBeString);
                    checkNoTabs(d, tree.lineOf(brace), tree.lineOf(brace));
                    add(d, brace + 1, brace + 1, rendered);
                } else {
                    Entry first = own.entries.get(0);
                    int at = first.value().end;
                    if (first.value() instanceof ScalarNode s && s.isEmptyPlain()) {
                        at = Math.max(at, first.key().end);
                    }
                    String flowValue = render(value, Style.PLAIN, true, mustBeString);
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
            String rendered = key + ": " + render(value, Style.PLAIN, false, mustBeString);
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
        private void remove(ComposeDoc d, String t, String key, List<Found> chain, MapNode own) {
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

        // ============================================================== apply

        private static String apply(ComposeDoc d, List<TextEdit> list) {
            if (list.isEmpty()) {
                return d.tree.text;
            }
            List<TextEdit> sorted = new ArrayList<>(list);
            sorted.sort(Comparator.comparingInt(TextEdit::start).thenComparingInt(TextEdit::end).thenComparingInt(TextEdit::seq));
            for (int i = 1; i < sorted.size(); i++) {
                TextEdit a = sorted.get(i - 1);
                TextEdit b = sorted.get(i);
                if (b.start() < a.end()) {
                    throw new RefusedException("internal: two edits overlap", d.path, d.tree.lineOf(b.start()) + 1);
                }
            }
            StringBuilder sb = new StringBuilder(d.tree.text.length() + 64);
            int pos = 0;
            for (TextEdit te : sorted) {
                sb.append(d.tree.text, pos, te.start());
                sb.append(te.replacement());
                pos = te.end();
            }
            sb.append(d.tree.text, pos, d.tree.text.length());
            return sb.toString();
        }
    }

    // ====================================================================== rendering

    /** The value as YAML text in the given style; quoted when a plain scalar would not do. */
    static String render(String v, Style style, boolean inFlow, boolean mustBeString) {
        return switch (style) {
            case SINGLE -> "'" + v.replace("'", "''") + "'";
            case DOUBLE -> "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            default -> {
                if ((mustBeString && v.matches("[0-9]+")) || !plainSafe(v, inFlow)) {
                    yield "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
                }
                yield v;
            }
        };
    }

    static boolean plainSafe(String v, boolean inFlow) {
        if (v.isEmpty() || v.matches("[0-9]+")) {
            return !v.isEmpty();
        }
        if ("-?:,[]{}#&*!|>'\"%@`".indexOf(v.charAt(0)) >= 0) {
            return false;
        }
        if (v.contains(": ") || v.contains(" #") || v.endsWith(":") || v.endsWith(" ") || v.startsWith(" ")) {
            return false;
        }
        if (inFlow) {
            for (char c : ",[]{}".toCharArray()) {
                if (v.indexOf(c) >= 0) {
                    return false;
                }
            }
        }
        return true;
    }
}
