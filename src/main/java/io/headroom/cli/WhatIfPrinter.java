package io.headroom.cli;

import io.headroom.analysis.WhatIf;
import io.headroom.analysis.WhatIfComparison;
import io.headroom.model.ContainerReport;
import io.headroom.model.HostReport;
import io.headroom.model.ScanReport;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code headroom fix --what-if …}: each Dask container now and after the change, side by side; nothing is written. */
final class WhatIfPrinter {
    private WhatIfPrinter() {
    }

    /** @return the exit code the hosts would have after the change (0 healthy, 1 findings, 3 a target not scanned) */
    static int print(CliContext cx, ScanReport report, WhatIf.Change change, String project, String container) {
        List<HostReport> afterHosts = new ArrayList<>();
        int shown = 0;
        for (HostReport h : report.hosts()) {
            if (!h.scanned()) {
                h.errors().forEach(cx::error);
                afterHosts.add(h);
                continue;
            }
            HostReport after = h;
            for (ContainerReport c : h.daskContainers()) {
                String name = c.facts().name();
                if ((project != null && !project.equals(c.facts().composeProject())) || (container != null && !container.equals(name))) {
                    continue;
                }
                HostReport one = WhatIf.apply(h, name, change);
                after = WhatIf.apply(after, name, change);
                shown++;
                cx.out.println("# what if: " + h.target() + ": " + name + (c.facts().composeProject() == null ? ""
                        : " (project " + c.facts().composeProject() + ", service " + c.facts().composeService() + ")")
                        + " with " + describe(change));
                List<WhatIfComparison.Row> rows = WhatIfComparison.rows(h, one, name);
                int w1 = rows.stream().mapToInt(r -> r.label().length()).max().orElse(0);
                int w2 = Math.max(3, rows.stream().mapToInt(r -> r.now().length()).max().orElse(0));
                cx.out.printf(Locale.ROOT, "#   %-" + w1 + "s  %-" + w2 + "s  %s%n", "", "now", "what if");
                for (WhatIfComparison.Row r : rows) {
                    cx.out.printf(Locale.ROOT, "#   %-" + w1 + "s  %-" + w2 + "s  %s%s%n", r.label(), r.now(), r.after(), r.changed() ? "" : "  (same)");
                }
            }
            afterHosts.add(after);
        }
        if (shown == 0) {
            cx.out.println("# what if: no Dask container" + (container != null ? " named " + container : "")
                    + (project != null ? " in project " + project : "") + " on the target(s)");
        }
        cx.out.println("# nothing was changed; 'headroom fix --apply' pushes Headroom's own recommendation");
        return ExitCode.of(new ScanReport(report.headroomVersion(), report.startedEpochMillis(), afterHosts));
    }

    static String describe(WhatIf.Change c) {
        List<String> parts = new ArrayList<>();
        if (c.limitBytes() != null) {
            parts.add(c.limitBytes() <= 0 ? "no cgroup limit" : "mem_limit " + c.limitBytes());
        }
        if (c.memoryLimit() != null) {
            parts.add("--memory-limit " + c.memoryLimit());
        }
        if (c.nworkers() != null) {
            parts.add("--nworkers " + c.nworkers());
        }
        return String.join(", ", parts);
    }
}
