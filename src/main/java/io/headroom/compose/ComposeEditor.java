package io.headroom.compose;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 *       flow mapping, after its first entry) when absent. The project is read as Compose v2 reads it
 *       ({@link ComposeProject}: {@code -f} files, their {@code ---} documents, {@code include}d files,
 *       {@code extends}): the value is edited where the definition that wins is written (the last one, unless
 *       a later {@code !override} / {@code !reset} hides it), or inserted into the last document that defines
 *       the service. Compose's tags are never rewritten.</li>
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
            return plan(request);
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

    private static EditResult.Edited plan(EditRequest req) {
        ComposeProject project = ComposeProject.load(req);
        Set<String> targets = new TreeSet<>(req.services());
        TextEdits text = new TextEdits(targets, req.memory().text(), project.trees.size());
        ProjectChecks checks = new ProjectChecks(project, req.memory(), text);
        for (String t : targets) {
            checks.requireComposeV2Accepts(t, "mem_limit", DEPLOY_LIMITS);
            checks.requireComposeV2Accepts(t, "mem_reservation", DEPLOY_RESERVATIONS);
        }
        if (req.memory() instanceof MemoryValue.EnvReference) {
            checks.requireEnvFilesApart(DotEnvEditor.envPathFor(project.paths));
        }
        MemoryKeyPlanner planner = new MemoryKeyPlanner(project, targets, req.reservations(), text);
        for (String t : targets) {
            planner.plan(t);
            checks.checkOthers(t);
        }
        List<FileEdit> out = new ArrayList<>();
        List<String> newTexts = new ArrayList<>();
        for (int i = 0; i < project.trees.size(); i++) {
            YamlTree tree = project.trees.get(i);
            String after = text.apply(i, tree, project.paths.get(i));
            newTexts.add(after);
            out.add(new FileEdit(project.paths.get(i), i, tree.text, after, text.changes(i)));
        }
        Verifier.verify(project, newTexts, targets, req.memory().text(), req.reservations());
        return new EditResult.Edited(out, text.notes);
    }
}
