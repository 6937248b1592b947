package io.headroom.analysis;

import io.headroom.model.Finding;
import io.headroom.model.FindingCode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The one recommended {@code mem_limit} per Dask container, in bytes: the smallest recommendation among
 * the findings a new limit fixes that apply to it (its own and the VM's). The finding, the table, the
 * report, the window, the fix wizard and {@code headroom fix} all show this number (issue 16). Pure.
 */
public final class RecommendedLimit {
    /** The findings a new compose limit fixes; the others' numbers are only the container's current limit. */
    public static final Set<FindingCode> FIXABLE = Set.of(FindingCode.NO_LIMIT, FindingCode.LIMIT_ABOVE_AVAILABLE,
            FindingCode.OVERCOMMIT, FindingCode.RESERVATION_SHRINKS_DASK, FindingCode.WASTED_HEADROOM);

    private RecommendedLimit() {
    }

    /** The recommended limit for the named container (bytes), or null when no fixable finding applies to it. */
    public static Long forContainer(List<Finding> findings, String container) {
        Long best = null;
        for (Finding f : findings) {
            boolean applies = f.container() == null || f.container().equals(container);
            if (applies && FIXABLE.contains(f.code()) && f.recommendedLimitBytes() != null) {
                best = best == null ? f.recommendedLimitBytes() : Math.min(best, f.recommendedLimitBytes());
            }
        }
        return best;
    }

    /**
     * The findings with each recommendation replaced by the one for its container (a VM-wide fixable finding:
     * the smallest among the Dask containers), so that two findings never recommend two limits for one
     * container. A VM-wide finding that is not about the limit (ENV_VALUE_INVALID: the value the variable
     * should hold) keeps its own number.
     */
    static List<Finding> unify(List<Finding> findings, List<String> containers) {
        List<Finding> out = new ArrayList<>(findings.size());
        for (Finding f : findings) {
            Long own = f.recommendedLimitBytes();
            Long one = null;
            if (own != null && f.container() != null) {
                one = forContainer(findings, f.container());
            } else if (own != null && FIXABLE.contains(f.code())) {
                for (String c : containers) {
                    Long r = forContainer(findings, c);
                    one = r == null ? one : one == null ? r : Math.min(one, r);
                }
            }
            out.add(one == null || one.equals(own) ? f : new Finding(f.code(), f.severity(), f.message(), f.container(), one));
        }
        return out;
    }
}
