package io.headroom.cli;

import io.headroom.engine.report.HostSummary;
import io.headroom.model.Bytes;
import io.headroom.model.ContainerReport;
import io.headroom.model.DaskWorker;
import io.headroom.model.Finding;
import io.headroom.model.HostFacts;
import io.headroom.model.HostReport;
import io.headroom.model.ScanReport;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The human-readable scan output. */
final class TableRenderer {
    private TableRenderer() {
    }

    static String render(ScanReport report) {
        StringBuilder sb = new StringBuilder();
        for (HostReport h : report.hosts()) {
            host(sb, h);
            sb.append('\n');
        }
        return sb.toString();
    }

    private static void host(StringBuilder sb, HostReport h) {
        HostFacts f = h.facts();
        if (f == null) {
            // the error itself went to stderr, once, as it happened
            sb.append(h.target()).append("  UNREACHABLE  (not scanned; the error is on stderr)\n");
            return;
        }
        sb.append(h.target()).append("  ").append(h.status().toUpperCase(Locale.ROOT)).append("  (host ").append(f.hostname()).append(", kernel ").append(f.kernelRelease())
                .append(", cgroup ").append(f.cgroupMode().name().toLowerCase(Locale.ROOT)).append(", ")
                .append(f.cpuCount()).append(" CPUs, scanned in ").append(h.scanMillis()).append(" ms)\n");
        if (f.memInfo() != null) {
            sb.append(String.format(Locale.ROOT, "  MemTotal %s   MemAvailable %s   budget for Dask %s (reserve %s)%n",
                    Bytes.human(f.memInfo().memTotalBytes()), Bytes.human(f.memInfo().memAvailableBytes()),
                    Bytes.human(h.budgetBytes()), Bytes.human(h.reserveBytes())));
        }
        if (h.daskContainers().isEmpty()) {
            sb.append("  ").append(HostSummary.noDaskContainers(f)).append('\n');
        } else {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"CONTAINER", "SERVICE", "CGROUP LIMIT", "USAGE", "DASK LIMIT", "WORKERS", "THREADS", "TERMINATE AT", "OOM KILLS"});
            for (ContainerReport c : h.daskContainers()) {
                DaskWorker w = c.workers().isEmpty() ? null : c.workers().get(0);
                rows.add(new String[] {
                        c.facts().name(),
                        c.facts().composeService() == null ? "-" : c.facts().composeService(),
                        Bytes.human(c.cgroupLimitBytes()),
                        c.facts().cgroup() == null ? "?" : Bytes.human(c.facts().cgroup().usageBytes()),
                        w == null ? "?" : w.negativeLimit() ? "negative" : w.memoryLimitBytes() == null ? "none" : Bytes.human(w.memoryLimitBytes()),
                        Integer.toString(c.workers().size()),
                        w == null ? "?" : Integer.toString(w.nthreads()),
                        w != null && w.noNanny() ? "no nanny" : w == null || w.terminateBytes() == null ? "-" : Bytes.human(w.terminateBytes()),
                        c.facts().cgroup() == null || c.facts().cgroup().oomKills() == null ? "?" : c.facts().cgroup().oomKills().toString()});
            }
            table(sb, rows);
        }
        if (h.findings().isEmpty()) {
            sb.append("  No findings: the limits fit what this VM can give.\n");
        }
        for (Finding x : h.findings()) {
            sb.append("  ").append(x.severity().label().toUpperCase(Locale.ROOT)).append(' ').append(x.code()).append(": ")
                    .append(x.message());
            if (x.recommendedLimitBytes() != null) {
                sb.append(" [recommended mem_limit: ").append(x.recommendedLimitBytes()).append(" bytes]");
            }
            sb.append('\n');
        }
        for (String e : h.errors()) {
            sb.append("  note: ").append(e).append('\n');
        }
    }

    private static void table(StringBuilder sb, List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            sb.append(' ');
            for (int i = 0; i < r.length; i++) {
                sb.append(' ').append(String.format(Locale.ROOT, "%-" + width[i] + "s", r[i]));
            }
            sb.append('\n');
        }
    }
}
