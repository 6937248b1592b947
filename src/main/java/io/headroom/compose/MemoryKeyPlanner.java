package io.headroom.compose;

import io.headroom.compose.ComposeDoc.Found;
import io.headroom.compose.YamlTree.AliasNode;
import io.headroom.compose.YamlTree.MapNode;
import io.headroom.compose.YamlTree.Node;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.headroom.compose.ComposeEditor.DEPLOY_LIMIT;
import static io.headroom.compose.ComposeEditor.DEPLOY_LIMITS;
import static io.headroom.compose.ComposeEditor.DEPLOY_RESERVATION;
import static io.headroom.compose.ComposeEditor.MEM_LIMIT;
import static io.headroom.compose.ComposeEditor.MEM_RESERVATION;

/**
 * Decides, for each targeted service, which memory key is edited where: the effective {@code mem_limit}
 * (in the layer and mapping that wins), {@code deploy.resources.limits.memory} kept equal to it, and the
 * reservations removed or set equal to the limit ({@link ReservationPolicy}); what is shared through
 * anchors with services that are not targeted is overridden in the service or refused.
 */
final class MemoryKeyPlanner {
    private final ComposeProject project;
    private final List<ComposeDoc> docs;
    private final Set<String> targets;
    private final ReservationPolicy policy;
    private final TextEdits text;
    private final List<String> notes;

    MemoryKeyPlanner(ComposeProject project, Set<String> targets, ReservationPolicy policy, TextEdits text) {
        this.project = project;
        this.docs = project.docs;
        this.targets = targets;
        this.policy = policy;
        this.text = text;
        this.notes = text.notes;
    }

    /** Plans every memory key of one targeted service. */
    void plan(String t) {
        planMemLimit(t);
        planDeployLimit(t);
        planReservation(t);
        planDeployReservation(t);
        planInherited(t);
    }

    /**
     * What {@code t} inherits through {@code extends}: the new {@code mem_limit} written in {@code t} already
     * overrides an inherited one; an inherited {@code mem_reservation} is overridden in {@code t} with the limit
     * (the base may serve other services, or live in a file that is not edited); inherited {@code deploy}
     * memory settings are refused with the base's line.
     */
    private void planInherited(String t) {
        List<ComposeProject.Base> chain = project.extendsChain(t);
        if (chain.isEmpty()) {
            return;
        }
        ComposeDoc last = project.lastDefining(t);
        boolean ownReservation = project.winning(t, MEM_RESERVATION) != null;
        boolean ownLimits = project.winning(t, DEPLOY_LIMITS) != null;
        boolean ownReservations = project.winning(t, ComposeEditor.DEPLOY_RESERVATIONS) != null;
        for (ComposeProject.Base b : chain) {
            List<Found> limits = ComposeDoc.lookupPath(b.map(), DEPLOY_LIMITS);
            List<Found> reservations = ComposeDoc.lookupPath(b.map(), ComposeEditor.DEPLOY_RESERVATIONS);
            List<Found> found = !ownLimits && limits != null ? limits : !ownReservations && reservations != null ? reservations : null;
            if (found != null) {
                Found leaf = found.get(found.size() - 1);
                throw new RefusedException("'" + t + "' inherits deploy.resources." + leaf.entry().keyName() + " from '" + b.service()
                        + "' through extends; Compose v2 compares its memory with the new mem_limit, and Headroom does not"
                        + " write a deploy block into '" + t + "'. Give '" + t + "' its own deploy.resources." + leaf.entry().keyName()
                        + " (or remove the base's), then fix again", b.doc().path, b.doc().tree.humanLine(leaf.entry().key()));
            }
            Found reservation = ComposeDoc.lookup(b.map(), "mem_reservation");
            if (reservation != null && !ownReservation) {
                text.insert(last, t, last.serviceMap(t), "mem_reservation", false);
                ownReservation = true;
                notes.add(t + ": mem_reservation is inherited from '" + b.service() + "' (" + b.doc().path + " line "
                        + b.doc().tree.humanLine(reservation.entry().key()) + ") through extends; '" + t
                        + "' got mem_reservation equal to its limit instead, so it no longer shrinks Dask's budget");
            }
        }
    }

    private void planMemLimit(String t) {
        ComposeProject.Located winner = project.winning(t, MEM_LIMIT);
        ComposeDoc at = winner == null ? null : winner.doc();
        Found found = winner == null ? null : winner.leaf();
        ComposeDoc lastDefining = project.lastDefining(t);
        if (found != null && ComposeDoc.composeTag(found.entry()) != null) {
            throw new RefusedException("mem_limit of '" + t + "' carries Compose's " + ComposeDoc.composeTag(found.entry())
                    + " tag here; Headroom never rewrites !reset / !override. Write the limit on this line yourself (or"
                    + " delete the line so that the earlier file's mem_limit applies), then fix again",
                    at.path, at.tree.humanLine(found.entry().key()));
        }
        if (found != null) {
            List<String> users = at.usersOf(found.entry(), MEM_LIMIT);
            MapNode own = at.serviceMap(t);
            if (targets.containsAll(users)) {
                text.replace(at, t, "mem_limit", found, own, users, false);
            } else if (found.owner() == own) {
                throw new RefusedException("mem_limit of '" + t + "' is also the value of " + text.others(users)
                        + " (they share its mapping through an anchor/merge key); target them too, or give them their own mem_limit",
                        at.path, at.tree.humanLine(found.entry().key()));
            } else {
                text.insert(at, t, own, "mem_limit", false);
                notes.add(t + ": mem_limit came from the anchored mapping " + ComposeDoc.anchorName(found.owner())
                        + " (line " + at.tree.humanLine(found.entry().key()) + ") that " + text.others(users)
                        + " also use; an explicit mem_limit was added to '" + t + "' instead (it overrides the merge)" + text.where(at));
            }
            if (docs.size() > 1) {
                notes.add(t + ": mem_limit edited in " + at.path + ", where its effective value is defined");
            }
        } else {
            text.insert(lastDefining, t, lastDefining.serviceMap(t), "mem_limit", false);
            if (docs.size() > 1) {
                notes.add(t + ": mem_limit added to " + lastDefining.path + ", the last file that defines the service");
            }
        }
    }

    // -------------------------------------------------------------- deploy.resources.limits.memory

    private void planDeployLimit(String t) {
        ComposeProject.Located winner = project.winning(t, DEPLOY_LIMIT);
        ComposeDoc at = winner == null ? null : winner.doc();
        List<Found> chain = winner == null ? null : winner.chain();
        if (chain == null) {
            addMemoryToLimitsBlock(t);
            return;
        }
        Found leaf = chain.get(chain.size() - 1);
        List<String> users = at.usersOf(leaf.entry(), DEPLOY_LIMIT);
        if (!targets.containsAll(users)) {
            throw new RefusedException("deploy.resources.limits.memory of '" + t + "' is shared with " + text.others(users)
                    + " through an anchor; overriding it for '" + t + "' alone would mean copying the whole deploy block."
                    + " Target them too, or give '" + t + "' its own deploy block",
                    at.path, at.tree.humanLine(leaf.entry().key()));
        }
        text.replace(at, t, "deploy.resources.limits.memory", leaf, at.serviceMap(t), users, true);
    }

    /**
     * A {@code deploy.resources.limits} mapping without {@code memory} (e.g. only {@code cpus}) beside the
     * new {@code mem_limit} counts as a limit of 0 for Compose v2, which then refuses the project: the
     * limit is written there too, the same value.
     */
    private void addMemoryToLimitsBlock(String t) {
        ComposeProject.Located winner = project.winning(t, DEPLOY_LIMITS);
        if (winner == null || !(YamlTree.resolve(winner.leaf().entry().value()) instanceof MapNode limits)) {
            return;
        }
        ComposeDoc at = winner.doc();
        List<String> users = new ArrayList<>();
        for (String name : at.services.keySet()) {
            MapNode sm = at.serviceMap(name);
            List<Found> chain = sm == null ? null : ComposeDoc.lookupPath(sm, DEPLOY_LIMITS);
            if (chain != null && YamlTree.resolve(chain.get(chain.size() - 1).entry().value()) == limits) {
                users.add(name);
            }
        }
        if (!targets.containsAll(users)) {
            throw new RefusedException("deploy.resources.limits of '" + t + "' has no memory and is shared with " + text.others(users)
                    + " through an anchor; Compose v2 needs the memory limit there too, which would change them. Target them"
                    + " too, or give '" + t + "' its own deploy block", at.path, at.tree.humanLine(at.services.get(t).key()));
        }
        if (limits.entries.isEmpty() && !limits.flow) {
            throw new RefusedException("deploy.resources.limits of '" + t + "' is empty; Compose v2 reads that as a memory limit"
                    + " of 0, distinct from mem_limit. Remove it, or write its memory", at.path, at.tree.humanLine(at.services.get(t).key()));
        }
        text.insert(at, t, limits, "memory", "deploy.resources.limits.memory", true);
        notes.add(t + ": deploy.resources.limits had no memory; Compose v2 would take that as 0 and refuse the file, so the"
                + " limit was written there too" + text.where(at));
    }

    // -------------------------------------------------------------- mem_reservation

    private void planReservation(String t) {
        if (policy == ReservationPolicy.MATCH_LIMIT) {
            ComposeProject.Located winner = project.winning(t, MEM_RESERVATION);
            if (winner != null) {
                setReservationExplicitly(winner.doc(), t, winner.leaf(), null);
            }
            return;
        }
        for (ComposeDoc d : docs) {
            MapNode sm = d.serviceMap(t);
            if (sm == null) {
                continue;
            }
            // a "mem_reservation: !reset" already removes what earlier files set: it stays as written
            List<Found> defs = ComposeDoc.allDefinitions(sm, "mem_reservation").stream()
                    .filter(f -> !"!reset".equals(ComposeDoc.composeTag(f.entry()))).toList();
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
                    text.remove(d, t, "mem_reservation", List.of(f), sm);
                }
            } else {
                setReservationExplicitly(d, t, defs.get(0),
                        "mem_reservation of '" + t + "' is shared through an anchor with " + text.others(blocking)
                                + ", so it was not removed; '" + t + "' got mem_reservation equal to its limit instead" + text.where(d));
            }
        }
    }

    private void setReservationExplicitly(ComposeDoc at, String t, Found found, String note) {
        MapNode own = at.serviceMap(t);
        List<String> users = at.usersOf(found.entry(), MEM_RESERVATION);
        if (targets.containsAll(users)) {
            text.replace(at, t, "mem_reservation", found, own, users, false);
        } else if (found.owner() == own) {
            throw new RefusedException("mem_reservation of '" + t + "' is also the value of " + text.others(users)
                    + " (they share its mapping through an anchor/merge key); target them too", at.path,
                    at.tree.humanLine(found.entry().key()));
        } else {
            text.insert(at, t, own, "mem_reservation", false);
        }
        if (note != null) {
            notes.add(note);
        }
    }

    // -------------------------------------------------------------- deploy.resources.reservations.memory

    private void planDeployReservation(String t) {
        if (policy == ReservationPolicy.MATCH_LIMIT) {
            ComposeProject.Located winner = project.winning(t, DEPLOY_RESERVATION);
            if (winner != null) {
                ComposeDoc at = winner.doc();
                Found leaf = winner.leaf();
                List<String> users = at.usersOf(leaf.entry(), DEPLOY_RESERVATION);
                requireOnlyTargets(at, t, leaf, users, "deploy.resources.reservations.memory");
                text.replace(at, t, "deploy.resources.reservations.memory", leaf, at.serviceMap(t), users, true);
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
                text.replace(d, t, "deploy.resources.reservations.memory", leaf, sm, users, true);
                notes.add(t + ": deploy.resources.reservations.memory set equal to the limit (removing it would leave an empty mapping)"
                        + text.where(d));
            } else {
                text.remove(d, t, "deploy.resources.reservations.memory", chain.subList(k, chain.size()), sm);
            }
        }
    }

    private void requireOnlyTargets(ComposeDoc d, String t, Found leaf, List<String> users, String key) {
        if (!targets.containsAll(users)) {
            throw new RefusedException(key + " of '" + t + "' is shared with " + text.others(users)
                    + " through an anchor; changing it would change them too. Target them too, or give '" + t
                    + "' its own deploy block", d.path, d.tree.humanLine(leaf.entry().key()));
        }
    }
}
