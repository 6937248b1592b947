package io.headroom.engine.report;

import io.headroom.model.Bytes;
import io.headroom.model.DaskLogEvent;
import io.headroom.model.DeathReport;
import io.headroom.model.DeathTimeline;
import io.headroom.model.HostFacts;
import io.headroom.model.HostReport;
import io.headroom.model.WorkerDeath;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * What the Markdown and HTML reports both say, as plain text: a host's status, its one-line
 * description, the figure tables of a host and of a Dask container, and sizes as
 * {@code 2.00 GiB (2,147,483,648 bytes)}. Each format lays these out and escapes them its own way.
 */
final class ReportContent {
    private ReportContent() {
    }

    /** {@code Host …, kernel …, cgroup v2, 4 CPUs, …}; {@code esc} escapes the strings that came from the VM. */
    static String hostLine(HostReport h, UnaryOperator<String> esc) {
        HostFacts f = h.facts();
        return "Host " + esc.apply(f.hostname()) + ", kernel " + esc.apply(f.kernelRelease()) + ", cgroup "
                + f.cgroupMode().name().toLowerCase(Locale.ROOT) + ", " + f.cpuCount() + " CPUs, " + h.daskContainers().size()
                + " Dask container(s), scanned in " + h.scanMillis() + " ms.";
    }

    /** {@code ok}, {@code WARNING}, {@code CRITICAL}…, or {@code UNREACHABLE} for a host not scanned. */
    static String status(HostReport h) {
        if (!h.scanned()) {
            return "UNREACHABLE";
        }
        String s = h.status();
        return s.equals("ok") ? s : s.toUpperCase(Locale.ROOT);
    }

    /** The summary table's Σ Dask limits cell: {@code no Dask}, {@code unlimited} or the sum in GiB and bytes. */
    static String limitsText(HostReport h, HostSummary s) {
        return h.daskContainers().isEmpty() ? "no Dask" : s.anyUnlimited() ? "unlimited" : gib(s.daskLimitsSum());
    }

    /** Figure name and value: built from numbers only, nothing remote, so written unescaped in Markdown. */
    static List<String[]> hostRows(HostReport h, HostSummary s) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"MemTotal", gib(s.memTotal())});
        rows.add(new String[] {"MemAvailable", gib(s.memAvailable())});
        rows.add(new String[] {"Reserve (OS and agents)", gib(s.reserve())});
        rows.add(new String[] {"Budget for Dask", gib(s.budget())});
        rows.add(new String[] {"Σ Dask cgroup limits", h.daskContainers().isEmpty() ? "no Dask containers"
                : s.anyUnlimited() ? "unlimited (a container has no limit); limited ones: " + gib(s.daskLimitsSum()) : gib(s.daskLimitsSum())});
        return rows;
    }

    /** A Dask container's figures: name and value. */
    static List<String[]> containerRows(ContainerFigures c) {
        var t = c.thresholds();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"cgroup limit", c.limit() == null ? "unlimited (no cgroup limit)" : gib(c.limit())});
        rows.add(new String[] {"usage", gib(c.usage())});
        if (c.peak() != null) {
            rows.add(new String[] {"peak usage", gib(c.peak())});
        }
        rows.add(new String[] {"Dask memory limit (" + c.workers() + " worker" + (c.workers() == 1 ? "" : "s") + ")",
                c.daskLimitNote() != null ? c.daskLimitNote()
                        : c.daskLimit() == null ? "none: Dask never spills, pauses or restarts by memory" : gib(c.daskLimit())});
        rows.add(new String[] {"spill at " + pct(t.spill()), threshold(c.spill())});
        rows.add(new String[] {"pause at " + pct(t.pause()), threshold(c.pause())});
        rows.add(new String[] {"terminate (nanny restart) at " + pct(t.terminate()),
                c.terminateNote() != null ? c.terminateNote() : threshold(c.terminate())});
        if (c.reported() != null) {
            rows.add(new String[] {"limit reported by the scheduler", gib(c.reported())});
        }
        rows.add(new String[] {"OOM kills (cgroup counter)", c.oomKills() == null ? "unknown" : c.oomKills().toString()});
        return rows;
    }

    private static String pct(Double f) {
        return f == null ? "(off)" : String.format(Locale.ROOT, "%.0f%%", f * 100);
    }

    private static String threshold(Long v) {
        return v == null ? "never (off or no Dask limit)" : gib(v);
    }

    /** {@code Deaths since T (n)}: the heading of a host's deaths section. */
    static String deathsHeading(DeathReport report, DeathTimeline t) {
        return "Deaths since " + report.since() + " (" + t.deaths().size() + ")";
    }

    /** {@code T · CAUSE · container}: a death's title; {@code esc} escapes what came from the VM. */
    static String deathTitle(WorkerDeath d, UnaryOperator<String> esc) {
        return (d.time() == null ? "(no time)" : d.time().toString()) + " · " + d.cause() + " · "
                + (d.container() == null ? "(unknown container)" : esc.apply(d.container()));
    }

    /** A death's facts as label and text (remote text unescaped: each format escapes the second column). */
    static List<String[]> deathRows(WorkerDeath d) {
        List<String[]> rows = new ArrayList<>();
        List<String> who = new ArrayList<>();
        if (d.service() != null) {
            who.add("service " + d.service());
        }
        if (d.workerAddress() != null) {
            who.add("worker " + d.workerAddress());
        }
        if (d.workerPid() != null) {
            who.add("pid " + d.workerPid() + " in the container");
        }
        if (d.hostPid() != null) {
            who.add("pid " + d.hostPid() + " on the host");
        }
        if (!who.isEmpty()) {
            rows.add(new String[] {"Worker", String.join(", ", who)});
        }
        if (d.limitBytes() != null || d.budgetBytes() != null) {
            rows.add(new String[] {"Limit / Dask budget", (d.limitBytes() == null ? "no limit" : gib(d.limitBytes())) + " / "
                    + (d.budgetBytes() == null ? "unknown" : gib(d.budgetBytes()))});
        }
        if (d.isUncertain()) {
            rows.add(new String[] {"Uncertain", d.uncertain()});
        }
        rows.add(new String[] {"Fix", d.fix()});
        return rows;
    }

    /** The rest of a host's timeline as lines: poison tasks, boot units, pauses and warnings (at most 20), problems. */
    static List<String> timelineNotes(DeathTimeline t) {
        List<String> out = new ArrayList<>();
        for (DeathTimeline.PoisonTask p : t.poison()) {
            out.add("Poison task " + p.key() + ": the scheduler gave up after " + p.deaths().size() + " death(s)");
        }
        t.bootUnits().forEach(u -> out.add("Boot unit: " + u.summary()));
        int n = 0;
        for (DaskLogEvent w : t.warnings()) {
            if (++n > 20) {
                out.add("… " + (t.warnings().size() - 20) + " more pauses and warnings");
                break;
            }
            out.add((w.time() == null ? "(no time)" : w.time().toString()) + " " + w.kind() + ": " + w.line());
        }
        t.problems().forEach(p -> out.add("Not read: " + p));
        return out;
    }

    /** {@code 2.00 GiB (2,147,483,648 bytes)}; "unknown" for null. */
    static String gib(Long bytes) {
        if (bytes == null) {
            return "unknown";
        }
        return String.format(Locale.ROOT, "%.2f GiB (%,d bytes)", bytes / (double) Bytes.GIB, bytes);
    }
}
