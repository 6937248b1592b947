package io.headroom.ui;

import io.headroom.model.Bytes;
import io.headroom.model.ComposeFile;
import io.headroom.model.ContainerReport;
import io.headroom.model.DaskWorker;
import io.headroom.model.Finding;
import io.headroom.model.HostFacts;
import io.headroom.model.HostReport;
import io.headroom.model.OomEvent;

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
                      Long reported) {
    }

    /** The headroom chart: MemTotal as the scale, MemAvailable and the budget on it, one bar per Dask container. */
    public record Chart(Figure memTotal, Figure memAvailable, Figure budget, List<Bar> bars) {
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
            Long daskSum = null;
            long spill = 0;
            long pause = 0;
            long term = 0;
            Long reported = null;
            StringBuilder derivation = new StringBuilder();
            for (DaskWorker w : c.workers()) {
                if (w.memoryLimitBytes() != null) {
                    daskSum = (daskSum == null ? 0 : daskSum) + w.memoryLimitBytes();
                }
                spill += w.spillBytes() == null ? 0 : w.spillBytes();
                pause += w.pauseBytes() == null ? 0 : w.pauseBytes();
                term += w.terminateBytes() == null ? 0 : w.terminateBytes();
                if (w.reportedLimitBytes() != null) {
                    reported = (reported == null ? 0 : reported) + w.reportedLimitBytes();
                }
                if (derivation.isEmpty()) {
                    derivation.append(String.join("\n", w.derivation()));
                }
            }
            Figure dask = new Figure("Dask memory limit (" + c.workers().size() + " worker(s))", daskSum,
                    "Headroom's replica of Dask's computation:\n" + derivation);
            bars.add(new Bar(c.facts().name(), limit, usage, dask, spill == 0 ? null : spill, pause == 0 ? null : pause,
                    term == 0 ? null : term, reported));
        }
        return new Chart(total, avail, budget, bars);
    }

    public List<Finding> findings() {
        return report.findings();
    }

    /** Kernel OOM kills, newest last, with the container they were attributed to. */
    public List<String> oomTimeline() {
        if (!report.scanned()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (OomEvent e : report.facts().oomEvents()) {
            String owner = e.containerId() == null ? "not attributed" : report.facts().containers().stream()
                    .filter(c -> c.id().equals(e.containerId())).map(c -> c.name()).findFirst().orElse(e.containerId());
            out.add("[" + owner + "] " + e.line());
        }
        return out;
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
