package io.headroom.analysis.dask;

import io.headroom.model.ContainerFacts;
import io.headroom.model.DaskWorker;
import io.headroom.model.HostFacts;
import io.headroom.model.ProcessFacts;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Predicts each Dask worker's memory limit in a container, as Dask itself will compute it, from the
 * files the container shows, the worker's command line and its environment.
 */
public final class DaskMemoryModel {
    private DaskMemoryModel() {
    }

    /**
     * A prediction for one container: its workers, problems that prevent a prediction, and the
     * launchers Dask refuses to start (Dask's own message each: no worker, no budget).
     */
    public record Prediction(List<DaskWorker> workers, List<String> problems, boolean versionAssumed,
                             List<String> refusals) {
    }

    public static Prediction predict(HostFacts host, ContainerFacts container) {
        List<DaskWorker> workers = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
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
                    s.refusal().ifPresent(refusals::add);
                } else {
                    problems.add("worker process " + t.pid() + " was renamed by setproctitle and the container's"
                            + " command does not show the dask worker options");
                }
            }
            return new Prediction(workers, problems, assumed, refusals);
        }
        if (launchers.isEmpty()) {
            // nothing runs: a launcher in the container's command that Dask refuses explains why. Without a
            // process there is no view of the container's CPU limit: the host's count stands in for CPU_COUNT
            // (it matters only for a negative --nworkers)
            WorkerCommandLine.fromContainerCommand(container.command())
                    .map(cmd -> cmd.refusal(host.cpuCount()))
                    .ifPresent(r -> refusals.add("the container's command: " + r));
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
            s.refusal().ifPresent(refusals::add);
        }
        return new Prediction(workers, problems, assumed, refusals);
    }

    private record Single(List<DaskWorker> workers, boolean versionAssumed, String refusalText) {
        java.util.Optional<String> refusal() {
            return java.util.Optional.ofNullable(refusalText);
        }
    }

    /**
     * The nanny's and the worker process's {@code memory_limit}, as Dask computes them.
     *
     * @param worker what the worker process holds (bytes): with a nanny, parse_memory_limit run again on the
     *               nanny's integer in the worker (WorkerMemoryManager.__init__); without, the only parse
     * @param nanny  the nanny's own value in bytes (NannyMemoryManager.__init__, what its memory monitor divides
     *               by), exact; null without a nanny, when None or when the parse fails
     */
    record Limits(MemoryLimitParser.Result worker, BigInteger nanny) {
    }

    /**
     * @param spec        {@code --memory-limit} as given
     * @param nanny       false with {@code --no-nanny}
     * @param systemLimit Dask's MEMORY_LIMIT in bytes
     */
    static Limits limits(String spec, boolean nanny, int nthreads, int cpuCount, long systemLimit) {
        MemoryLimitParser.Result limit = MemoryLimitParser.parse(spec, nthreads, cpuCount, systemLimit);
        if (!nanny || limit.error() != null || limit.exact() == null) {
            return new Limits(limit, null);
        }
        // the worker process parses the nanny's integer once more (see reparseInWorker)
        BigInteger nannyValue = limit.exact();
        MemoryLimitParser.Result again = MemoryLimitParser.reparseInWorker(nannyValue, systemLimit);
        if (Objects.equals(again.exact(), nannyValue)) {
            return new Limits(limit, nannyValue);
        }
        List<String> steps = new ArrayList<>(limit.steps());
        steps.add("the worker process re-parses the nanny's " + nannyValue + " and gets " + again.exact());
        if (nannyValue.signum() > 0) {
            steps.add("the nanny keeps its own " + nannyValue + " byte(s): its memory monitor restarts the worker as soon"
                    + " as its memory is above " + nannyValue + " × the terminate fraction, i.e. at once, again and again");
        }
        return new Limits(new MemoryLimitParser.Result(again.bytes(), again.exact(), steps, again.error()), nannyValue);
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
        ProcessEnvironment env = ProcessEnvironment.of(container, launcher);
        PythonCpuCount.Result python = PythonCpuCount.of(launcher.argv(), env.env(), PythonCpuCount.version(
                launcher.view() == null ? null : launcher.view().files().get("/proc/self/exe"), versionText));
        if (python.error() != null) {
            return new Single(List.of(), version == null, "dask worker (pid " + launcher.pid() + "): " + python.error());
        }
        int osCount = python.count() != null ? python.count() : host.cpuCount();
        DaskSystemModel.CpuCount cpu = DaskSystemModel.cpu(osCount, launcher.cpusAllowed(), launcher.view(), version);
        int cpuCount = cpu.count();
        int[] wt = cmd.workersAndThreads(cpuCount);
        int nworkers = wt[0];
        // Nanny / Worker: self.nthreads = nthreads or CPU_COUNT (distributed/nanny.py)
        int nthreads = wt[1] == 0 ? cpuCount : wt[1];
        DaskSystemModel.SystemLimit system = DaskSystemModel.memoryLimit(memTotal, launcher.view(), launcher.rssLimitHardBytes(), band);
        Limits limits = limits(cmd.memoryLimit(), cmd.nanny(), nthreads, cpuCount, system.bytes());
        MemoryLimitParser.Result limit = limits.worker();
        // the options dask worker refuses, then a --memory-limit the Nanny (or Worker) fails to parse in its __init__
        String refusal = cmd.refusal(cpuCount) != null ? cmd.refusal(cpuCount) : limit.error();
        if (refusal != null) {
            return new Single(List.of(), version == null, "dask worker (pid " + launcher.pid() + ", Dask "
                    + (version == null ? "version unknown" : version.text()) + ", CPU_COUNT " + cpuCount + "): " + refusal);
        }
        DaskConfigEnv.Result config = DaskConfigEnv.thresholds(env.env(), version,
                DaskConfigFiles.read(launcher.view() == null ? List.of() : launcher.view().configFiles()));
        List<String> derivation = new ArrayList<>();
        derivation.add("Dask " + (version == null ? "version unknown (assumed ≥ 2023.10.0)" : version.text())
                + ", rules of band " + band);
        derivation.add(env.step());
        derivation.addAll(python.steps());
        derivation.addAll(cpu.steps());
        derivation.add("cpu_count = " + cpuCount + ", nworkers = " + nworkers + ", nthreads = " + nthreads);
        derivation.addAll(system.steps());
        derivation.add("system memory limit = " + system.bytes() + " bytes (from " + system.source() + ")");
        derivation.addAll(limit.steps());
        derivation.addAll(config.notes());
        if (!cmd.nanny()) {
            derivation.add(DaskWorker.noNannyText(config.thresholds().terminate()) + " (--no-nanny runs a Worker without"
                    + " a Nanny; only the Nanny's NannyMemoryManager restarts a worker on memory, distributed/nanny.py:259"
                    + " at 2026.7.1. The worker only spills and pauses)");
        }
        List<DaskWorker> out = new ArrayList<>();
        int count = Math.max(nworkers, 1);
        for (int i = 0; i < count; i++) {
            int pid = i < children.size() ? children.get(i).pid() : launcher.pid();
            out.add(new DaskWorker(pid, launcher.pid(), launcher.argv(), version == null ? null : version.text(),
                    nthreads, nworkers, cpuCount, cmd.memoryLimit(), system.bytes(), system.source(),
                    limit.bytes(), config.thresholds(), derivation, null, !cmd.nanny(), limit.exact(), limits.nanny()));
        }
        return new Single(out, version == null, null);
    }

}
