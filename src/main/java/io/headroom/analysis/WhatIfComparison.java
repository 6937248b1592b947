package io.headroom.analysis;

import io.headroom.model.Bytes;
import io.headroom.model.ContainerReport;
import io.headroom.model.DaskWorker;
import io.headroom.model.Finding;
import io.headroom.model.HostReport;
import io.headroom.model.MemoryThresholds;
import io.headroom.model.Severity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A container now and after a {@link WhatIf} change, as rows a user reads side by side: the cgroup
 * limit, each worker's budget with its spill / pause / restart points, the findings and the verdict.
 * The CLI and the fix wizard show the same rows. Pure.
 */
public final class WhatIfComparison {
    /** One line: what it is, now, after the change. */
    public record Row(String label, String now, String after) {
        public boolean changed() {
            return !now.equals(after);
        }
    }

    private WhatIfComparison() {
    }

    public static List<Row> rows(HostReport now, HostReport after, String container) {
        ContainerReport a = find(now, container);
        ContainerReport b = find(after, container);
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("cgroup limit", limit(a), limit(b)));
        int n = Math.max(a.workers().size(), b.workers().size());
        for (int i = 0; i < n; i++) {
            DaskWorker x = i < a.workers().size() ? a.workers().get(i) : null;
            DaskWorker y = i < b.workers().size() ? b.workers().get(i) : null;
            String w = n > 1 ? "worker " + (i + 1) + " " : "";
            rows.add(new Row(w + "Dask budget", budget(x), budget(y)));
            rows.add(new Row(w + "spills at", point(x, Point.SPILL), point(y, Point.SPILL)));
            rows.add(new Row(w + "pauses at", point(x, Point.PAUSE), point(y, Point.PAUSE)));
            rows.add(new Row(w + "nanny restarts at", point(x, Point.TERMINATE), point(y, Point.TERMINATE)));
        }
        rows.add(new Row("findings", findings(now, container), findings(after, container)));
        rows.add(new Row("verdict", verdict(now, container), verdict(after, container)));
        return rows;
    }

    private enum Point { SPILL, PAUSE, TERMINATE }

    private static ContainerReport find(HostReport h, String container) {
        return h.daskContainers().stream().filter(c -> c.facts().name().equals(container)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no Dask container named '" + container + "' on " + h.target()));
    }

    private static String limit(ContainerReport c) {
        Long l = c.cgroupLimitBytes();
        return l == null ? "none" : exact(l);
    }

    private static String budget(DaskWorker w) {
        if (w == null) {
            return "no such worker";
        }
        return w.memoryLimitBytes() == null ? "no limit" : exact(w.memoryLimitBytes());
    }

    private static String point(DaskWorker w, Point p) {
        if (w == null || w.memoryLimitBytes() == null) {
            return "-";
        }
        MemoryThresholds t = w.thresholds();
        if (p == Point.TERMINATE && w.noNanny()) {
            return "never (no nanny)";
        }
        Double f = switch (p) {
            case SPILL -> t.spill();
            case PAUSE -> t.pause();
            case TERMINATE -> t.terminate();
        };
        Long b = MemoryThresholds.bytes(f, w.memoryLimitBytes());
        return b == null ? "never (off)" : Bytes.human(b);
    }

    private static List<Finding> of(HostReport h, String container) {
        return h.findings().stream().filter(f -> f.container() == null || f.container().equals(container)).toList();
    }

    private static String findings(HostReport h, String container) {
        List<Finding> fs = of(h, container);
        return fs.isEmpty() ? "none" : fs.stream().map(f -> f.code() + " (" + f.severity().label() + ")").collect(Collectors.joining(", "));
    }

    /** "healthy", or the worst finding's severity and code ("critical: NO_LIMIT"). */
    static String verdict(HostReport h, String container) {
        Finding worst = null;
        for (Finding f : of(h, container)) {
            if (worst == null || f.severity().compareTo(worst.severity()) > 0) {
                worst = f;
            }
        }
        if (worst == null || worst.severity().compareTo(Severity.WARNING) < 0) {
            return "healthy";
        }
        return worst.severity().label().toLowerCase(Locale.ROOT) + ": " + worst.code();
    }

    private static String exact(long bytes) {
        return Bytes.human(bytes) + String.format(Locale.ROOT, " (%,d bytes)", bytes);
    }
}
