package io.headroom.engine.inventory;

import io.headroom.model.ContainerReport;
import io.headroom.model.DaskWorker;
import io.headroom.model.Finding;
import io.headroom.model.FindingCode;
import io.headroom.model.HostReport;
import io.headroom.model.ProcessFacts;
import io.headroom.model.Severity;
import io.headroom.model.Bytes;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Attaches what the scheduler reports to Headroom's predictions, and reports a mismatch
 * ({@code DASK_LIMIT_MISMATCH}). A worker is matched by the address in its process title
 * ({@code dask worker [tcp://…]}, set when setproctitle is installed) or by its {@code --name}
 * ({@code NAME} or {@code NAME-i} with several workers).
 */
public final class GroundTruth {
    private GroundTruth() {
    }

    public static HostReport attach(HostReport host, SchedulerDiscovery.Result scheduler) {
        if (!host.scanned()) {
            return host;
        }
        List<ContainerReport> containers = new ArrayList<>();
        List<Finding> findings = new ArrayList<>(host.findings());
        for (ContainerReport c : host.daskContainers()) {
            List<DaskWorker> workers = new ArrayList<>();
            int index = 0;
            for (DaskWorker w : c.workers()) {
                Optional<SchedulerDiscovery.Worker> match = match(c, w, index++, scheduler);
                if (match.isEmpty()) {
                    workers.add(w);
                    continue;
                }
                Long reported = match.get().memoryLimitBytes();
                workers.add(w.withReported(reported == null ? 0L : reported));
                if (!java.util.Objects.equals(reported, w.memoryLimitBytes())) {
                    findings.add(new Finding(FindingCode.DASK_LIMIT_MISMATCH, Severity.WARNING,
                            "The scheduler reports a memory limit of " + Bytes.human(reported) + " (" + reported
                                    + " bytes) for worker " + match.get().address() + " in " + c.facts().name()
                                    + ", but Headroom predicted " + Bytes.human(w.memoryLimitBytes()) + " ("
                                    + w.memoryLimitBytes() + " bytes). Dask's own value is the one in force; the worker may"
                                    + " have been started with other options or configuration than Headroom can see.",
                            c.facts().name(), null));
                }
            }
            containers.add(new ContainerReport(c.facts(), workers));
        }
        findings.sort(java.util.Comparator.comparing(Finding::severity).reversed());
        return new HostReport(host.target(), host.facts(), host.budgetBytes(), host.reserveBytes(), containers, findings,
                host.errors(), host.scanMillis());
    }

    static Optional<SchedulerDiscovery.Worker> match(ContainerReport c, DaskWorker w, int index,
                                                     SchedulerDiscovery.Result scheduler) {
        Optional<ProcessFacts> proc = c.facts().processes().stream().filter(p -> p.pid() == w.pid()).findFirst();
        if (proc.isPresent() && !proc.get().argv().isEmpty()) {
            String title = proc.get().argv().get(0);
            int open = title.indexOf('[');
            int close = title.indexOf(']', open + 1);
            if (title.startsWith("dask") && open > 0 && close > open) {
                String address = title.substring(open + 1, close);
                Optional<SchedulerDiscovery.Worker> byAddress = scheduler.workers().stream()
                        .filter(x -> x.address().equals(address)).findFirst();
                if (byAddress.isPresent()) {
                    return byAddress;
                }
            }
        }
        String name = nameArg(w.argv());
        if (name != null) {
            String wanted = w.nworkers() > 1 ? name + "-" + index : name;
            return scheduler.workers().stream().filter(x -> x.name().equals(wanted)).findFirst();
        }
        return Optional.empty();
    }

    private static String nameArg(List<String> argv) {
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("--name") && i + 1 < argv.size()) {
                return argv.get(i + 1);
            }
            if (a.startsWith("--name=")) {
                return a.substring(7);
            }
        }
        return null;
    }
}
