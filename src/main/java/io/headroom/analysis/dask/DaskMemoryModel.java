package io.headroom.analysis.dask;

import io.headroom.model.ContainerFacts;
import io.headroom.model.DaskWorker;
import io.headroom.model.HostFacts;
import io.headroom.model.ProcessFacts;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Predicts each Dask worker's memory limit in a container, as Dask itself will compute it, from the
 * files the container shows, the worker's command line and its environment.
 */
public final class DaskMemoryModel {
    private DaskMemoryModel() {
    }

    /** A prediction for one container: its workers, and problems that prevent a prediction. */
    public record Prediction(List<DaskWorker> workers, List<String> problems, boolean versionAssumed) {
    }

    public static Prediction predict(HostFacts host, ContainerFacts container) {
        List<DaskWorker> workers = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        boolean assumed = false;
        List<ProcessFacts> procs = container.processes();
        List<ProcessFacts> launchers = procs.stream()
                .filter(p -> WorkerCommandLine.parse(p.argv()).isPresent()).toList();
        List<ProcessFacts> titled = procs.stream().filter(p -> WorkerCommandLine.isWorkerTitle(p.argv())).toList();
        if (launchers.isEmpty() && !titled.isEmpty()) {
            // --no-nanny: the launcher renamed itself "dask worker [addr]"; its options are in the container command.
            Optional<WorkerCommandLine> fromCommand = WorkerCommandLine.fromContainerCommand(container.command());
            for (ProcessFacts t : titled) {
                boolean child = titled.stream().anyMatch(o -> o.pid() == t.ppid());
                if (child) {
                    continue;
                }
                if (fromCommand.isPresent()) {
                    Single s = predictLauncher(host, container, t, fromCommand.get(), List.of());
                    workers.addAll(s.workers);
                    assumed |= s.versionAssumed;
                } else {
                    problems.add("worker process " + t.pid() + " was renamed by setproctitle and the container's"
                            + " command does not show the dask worker options");
                }
            }
            return new Prediction(workers, problems, assumed);
        }
        for (ProcessFacts launcher : launchers) {
            WorkerCommandLine cmd = WorkerCommandLine.parse(launcher.argv()).orElseThrow();
            List<ProcessFacts> children = procs.stream()
                    .filter(p -> p.ppid() == launcher.pid())
                    .filter(p -> WorkerCommandLine.isMultiprocessingChild(p.argv()) || WorkerCommandLine.isWorkerTitle(p.argv()))
                    .toList();
            Single s = predictLauncher(host, container, launcher, cmd, children);
            workers.addAll(s.workers);
            assumed |= s.versionAssumed;
        }
        return new Prediction(workers, problems, assumed);
    }

    private record Single(List<DaskWorker> workers, boolean versionAssumed) {
    }

    private static Single predictLauncher(HostFacts host, ContainerFacts container, ProcessFacts launcher,
                                          WorkerCommandLine cmd, List<ProcessFacts> children) {
        String versionText = launcher.daskVersions().isEmpty()
                ? container.processes().stream().flatMap(p -> p.daskVersions().stream()).findFirst().orElse(null)
                : launcher.daskVersions().get(0);
        DaskVersion version = DaskVersion.parse(versionText);
        DaskVersionBand band = DaskVersionBand.of(version);
        long memTotal = launcher.view() != null && launcher.view().memTotalBytes() != null
                ? launcher.view().memTotalBytes()
                : host.memInfo() == null ? 0 : host.memInfo().memTotalBytes();
        int cpuCount = DaskSystemModel.cpuCount(host.cpuCount(), launcher.cpusAllowed(), launcher.view(), version);
        int[] wt = cmd.workersAndThreads(cpuCount);
        int nworkers = wt[0];
        // Nanny / Worker: self.nthreads = nthreads or CPU_COUNT (distributed/nanny.py)
        int nthreads = wt[1] == 0 ? cpuCount : wt[1];
        DaskSystemModel.SystemLimit system = DaskSystemModel.memoryLimit(memTotal, launcher.view(), launcher.rssLimitHardBytes(), band);
        MemoryLimitParser.Result limit = MemoryLimitParser.parse(cmd.memoryLimit(), nthreads, cpuCount, system.bytes());
        if (cmd.nanny() && limit.error() == null && limit.exact() != null) {
            // the worker process parses the nanny's integer once more (see reparseInWorker)
            MemoryLimitParser.Result again = MemoryLimitParser.reparseInWorker(limit.exact(), system.bytes());
            if (!java.util.Objects.equals(again.exact(), limit.exact())) {
                List<String> steps = new ArrayList<>(limit.steps());
                steps.add("the worker process re-parses the nanny's " + limit.exact() + " and gets " + again.exact());
                limit = new MemoryLimitParser.Result(again.bytes(), again.exact(), steps, again.error());
            }
        }
        DaskConfigEnv.Result config = DaskConfigEnv.thresholds(container.env());
        List<String> derivation = new ArrayList<>();
        derivation.add("Dask " + (version == null ? "version unknown (assumed ≥ 2023.10.0)" : version.text())
                + ", rules of band " + band);
        derivation.add("cpu_count = " + cpuCount + ", nworkers = " + nworkers + ", nthreads = " + nthreads);
        derivation.addAll(system.steps());
        derivation.add("system memory limit = " + system.bytes() + " bytes (from " + system.source() + ")");
        derivation.addAll(limit.steps());
        if (limit.error() != null) {
            derivation.add(limit.error());
        }
        derivation.addAll(config.notes());
        List<DaskWorker> out = new ArrayList<>();
        int count = Math.max(nworkers, 1);
        for (int i = 0; i < count; i++) {
            int pid = i < children.size() ? children.get(i).pid() : launcher.pid();
            out.add(new DaskWorker(pid, launcher.pid(), launcher.argv(), version == null ? null : version.text(),
                    nthreads, nworkers, cpuCount, cmd.memoryLimit(), system.bytes(), system.source(),
                    limit.bytes(), config.thresholds(), derivation, null));
        }
        return new Single(out, version == null);
    }
}
