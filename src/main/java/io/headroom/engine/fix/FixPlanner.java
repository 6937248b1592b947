package io.headroom.engine.fix;

import io.headroom.analysis.RecommendedLimit;
import io.headroom.compose.ComposeEditor;
import io.headroom.compose.ComposeSource;
import io.headroom.compose.EditRequest;
import io.headroom.compose.EditResult;
import io.headroom.compose.FileEdit;
import io.headroom.compose.MemoryValue;
import io.headroom.compose.ReservationPolicy;
import io.headroom.model.ComposeFile;
import io.headroom.model.ContainerReport;
import io.headroom.model.HostReport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Turns a scan into fix plans: for each compose project whose Dask workers have a memory finding
 * with a recommended limit, the minimal edit of its compose files (io.headroom.compose). Pure.
 */
public final class FixPlanner {
    /** Findings that a corrected mem_limit resolves. */

    private FixPlanner() {
    }

    public static List<FixPlan> plan(HostReport host, boolean envMode) {
        List<FixPlan> plans = new ArrayList<>();
        if (!host.scanned()) {
            return plans;
        }
        for (Map.Entry<String, List<ContainerReport>> e : byProject(host, c -> recommended(host, c) != null).entrySet()) {
            ContainerReport first = e.getValue().get(0);
            String dir = first.facts().composeWorkingDir();
            List<String> paths = composePaths(first);
            Set<String> services = new LinkedHashSet<>();
            long bytes = Long.MAX_VALUE;
            for (ContainerReport c : e.getValue()) {
                services.add(c.facts().composeService());
                bytes = Math.min(bytes, recommended(host, c));
            }
            List<ComposeSource> sources = new ArrayList<>();
            List<String> shas = new ArrayList<>();
            String missing = null;
            for (String p : paths) {
                ComposeFile f = host.facts().composeFiles().get(p);
                if (f == null) {
                    missing = "the scan could not read " + p;
                    break;
                }
                sources.add(new ComposeSource(p, f.content(), f.truncated()));
                shas.add(f.sha256());
            }
            if (missing != null || sources.isEmpty()) {
                plans.add(new FixPlan(host.target(), e.getKey(), dir, paths, List.copyOf(services), bytes, envMode, List.of(),
                        List.of(), List.of(), missing == null ? "no compose files are named by the containers' labels" : missing));
                continue;
            }
            MemoryValue value = envMode ? MemoryValue.env(bytes) : MemoryValue.bytes(bytes);
            // what the project's files may include or extend: every other compose file the scan read on this host
            List<ComposeSource> referenced = host.facts().composeFiles().values().stream()
                    .filter(f -> !paths.contains(f.path())).map(ComposeSource::of).toList();
            EditResult r = ComposeEditor.edit(new EditRequest(sources, services, value, ReservationPolicy.REMOVE, referenced));
            if (r instanceof EditResult.Refused refused) {
                plans.add(new FixPlan(host.target(), e.getKey(), dir, paths, List.copyOf(services), bytes, envMode, List.of(),
                        List.of(), List.of(), refused.reason() + " (" + refused.path() + ":" + refused.line() + ")"));
                continue;
            }
            EditResult.Edited edited = (EditResult.Edited) r;
            List<FileEdit> changed = edited.changedFiles();
            List<String> before = new ArrayList<>();
            for (FileEdit fe : changed) {
                before.add(host.facts().composeFiles().get(fe.path()).sha256()); // every file given to the editor was read by the scan
            }
            plans.add(new FixPlan(host.target(), e.getKey(), dir, paths, List.copyOf(services), bytes, envMode, changed, before,
                    edited.notes(), null));
        }
        return plans;
    }

    /**
     * The host's Dask containers that belong to a compose service and pass {@code include}, by
     * compose project (in scan order).
     */
    static Map<String, List<ContainerReport>> byProject(HostReport host, Predicate<ContainerReport> include) {
        Map<String, List<ContainerReport>> byProject = new LinkedHashMap<>();
        for (ContainerReport c : host.daskContainers()) {
            if (c.facts().composeProject() != null && c.facts().composeService() != null && include.test(c)) {
                byProject.computeIfAbsent(c.facts().composeProject(), k -> new ArrayList<>()).add(c);
            }
        }
        return byProject;
    }

    /** The container's compose files ({@code config_files} label) as absolute paths, {@code -f} order. */
    static List<String> composePaths(ContainerReport c) {
        String dir = c.facts().composeWorkingDir();
        return c.facts().composeFiles().stream().map(f -> f.startsWith("/") ? f : dir + "/" + f).toList();
    }

    /** The container's one recommended limit (bytes; {@link RecommendedLimit}), or null. */
    static Long recommended(HostReport host, ContainerReport c) {
        return RecommendedLimit.forContainer(host.findings(), c.facts().name());
    }
}
