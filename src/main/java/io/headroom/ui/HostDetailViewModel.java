package io.headroom.ui;

import io.headroom.engine.report.ContainerFigures;
import io.headroom.engine.report.HostSummary;
import io.headroom.model.Bytes;
import io.headroom.model.ComposeFile;
import io.headroom.model.ContainerReport;
import io.headroom.model.Finding;
import io.headroom.model.HostFacts;
import io.headroom.model.HostReport;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The host detail screen, computed from one {@link HostReport}: the headroom chart's model, the
 * findings, the OOM timeline and the compose files with their memory keys marked. Every number
 * carries a note saying where it was read from.
 */
public final class HostDetailViewModel {
    /** A number and where it came from (shown as a tooltip, exact bytes included). */
    public record Figure(String label, Long bytes, String source) {
        public String text() {
            return Bytes.human(bytes);
        }

        public String tooltip() {
            return label + ": " + (bytes == null ? "unlimited / unknown" : String.format(Locale.ROOT, "%,d bytes", bytes))
                    + "\nfrom " + source;
        }
    }

    /**
     * One container in the chart.
     *
     * @param name        container name
     * @param limit       the cgroup limit (null = unlimited)
     * @param usage       current usage
     * @param daskLimit   Σ of the workers' Dask limits (null when none)
     * @param spill       Σ spill thresholds (bytes)
     * @param pause       Σ pause thresholds
     * @param terminate   Σ terminate thresholds
     * @param reported    Σ of what the scheduler reported, when known
     */
    public record Bar(String name, Figure limit, Figure usage, Figure daskLimit, Long spill, Long pause, Long terminate,
                      Long reported, String terminateNote) {
    }

    /**
     * The headroom chart: MemTotal as the scale, MemAvailable and the budget on it, one bar per Dask
     * container; {@code noDask} says what was looked at when there is none.
     */
    public record Chart(Figure memTotal, Figure memAvailable, Figure budget, List<Bar> bars, String noDask) {
    }

    /** A line of a compose file; {@code memory} when it sets a memory key. */
    public record ComposeLine(int number, String text, boolean memory) {
    }

    private static final Pattern MEMORY_KEY = Pattern.compile(
            "^\\s*(-\\s*)?(mem_limit|mem_reservation|memswap_limit|mem_swappiness|memory|AVAILABLE_MEMORY_FOR_DASK)\\s*[:=].*|.*\\$\\{AVAILABLE_MEMORY_FOR_DASK.*");

    private final HostReport report;

    public HostDetailViewModel(HostReport report) {
        this.report = report;
    }

    public HostReport report() {
        return report;
    }

    public String title() {
        if (!report.scanned()) {
            return report.target() + " — not scanned";
        }
        HostFacts f = report.facts();
        return report.target() + " — host " + f.hostname() + ", kernel " + f.kernelRelease() + ", cgroup "
                + f.cgroupMode().name().toLowerCase(Locale.ROOT) + ", " + f.cpuCount() + " CPUs";
    }

    /** The chart model, or null when the host was not scanned. */
    public Chart chart() {
        if (!report.scanned() || report.facts().memInfo() == null) {
            return null;
        }
        var mem = report.facts().memInfo();
        Figure total = new Figure("MemTotal", mem.memTotalBytes(), "/proc/meminfo (probe section 'meminfo')");
        Figure avail = new Figure("MemAvailable", mem.memAvailableBytes(), "/proc/meminfo (probe section 'meminfo')");
        Figure budget = new Figure("Budget for Dask", report.budgetBytes(),
                "MemAvailable + Σ Dask working set (usage − inactive_file) − reserve " + Bytes.human(report.reserveBytes())
                        + " (docs/decisions/0003-vm-budget.md)");
        List<Bar> bars = new ArrayList<>();
        for (ContainerReport c : report.daskContainers()) {
            var cg = c.facts().cgroup();
            String dir = cg == null ? "docker inspect HostConfig.Memory" : cg.directory();
            Figure limit = new Figure("cgroup limit", c.cgroupLimitBytes(),
                    cg == null ? dir : dir + "/" + (cg.version() == 1 ? "memory.limit_in_bytes" : "memory.max"));
            Figure usage = new Figure("usage", cg == null ? null : cg.usageBytes(),
                    cg == null ? "unavailable" : dir + "/" + (cg.version() == 1 ? "memory.usage_in_bytes" : "memory.current"));
            ContainerFigures fig = ContainerFigures.of(c);
            String derivation = c.workers().isEmpty() ? "" : String.join("\n", c.workers().get(0).derivation());
            Figure dask = new Figure("Dask memory limit (" + fig.workers() + " worker(s))", fig.daskLimit(),
                    "Headroom's replica of Dask's computation:\n" + derivation);
            bars.add(new Bar(c.facts().name(), limit, usage, dask, fig.spill(), fig.pause(), fig.terminate(), fig.reported(),
                    fig.terminateNote()));
        }
        return new Chart(total, avail, budget, bars, bars.isEmpty() ? HostSummary.noDaskContainers(report.facts()) : null);
    }

    public List<Finding> findings() {
        return report.findings();
    }

    /** Kernel OOM kills, newest last, with the container they were attributed to; then the nanny's worker-death log lines. */
    public List<String> oomTimeline() {
        return HostSummary.oomTimeline(report);
    }

    /** Compose files named by the Dask containers' labels. */
    public List<ComposeFile> composeFiles() {
        return report.scanned() ? List.copyOf(report.facts().composeFiles().values()) : List.of();
    }

    /** A compose file's lines with the memory keys marked. */
    public static List<ComposeLine> lines(ComposeFile f) {
        List<ComposeLine> out = new ArrayList<>();
        String[] lines = f.content().split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (i == lines.length - 1 && lines[i].isEmpty()) {
                break;
            }
            out.add(new ComposeLine(i + 1, lines[i], MEMORY_KEY.matcher(lines[i]).matches()));
        }
        return out;
    }

    public List<String> errors() {
        return report.errors();
    }
}
