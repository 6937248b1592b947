package io.headroom.analysis;

import io.headroom.analysis.dask.DaskByteSize;
import io.headroom.analysis.dask.DaskMemoryModel;
import io.headroom.analysis.dask.WorkerCommandLine;
import io.headroom.model.Bytes;
import io.headroom.model.ContainerFacts;
import io.headroom.model.ContainerReport;
import io.headroom.model.DaskWorker;
import io.headroom.model.Finding;
import io.headroom.model.FindingCode;
import io.headroom.model.HostFacts;
import io.headroom.model.HostReport;
import io.headroom.model.OomEvent;
import io.headroom.model.SectionProblem;
import io.headroom.model.Severity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Turns a host's facts into a report with findings. Pure. */
public final class Analyzer {
    private final Long reserveOverride;

    /** @param reserveBytes the reserve to keep for the OS and agents, or null for the default (5% of MemTotal) */
    public Analyzer(Long reserveBytes) {
        this.reserveOverride = reserveBytes;
    }

    public HostReport analyze(HostFacts facts, long scanMillis) {
        List<String> errors = new ArrayList<>(facts.problems().stream().map(SectionProblem::describe).toList());
        List<ContainerReport> dask = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        for (ContainerFacts c : facts.containers()) {
            DaskMemoryModel.Prediction p = DaskMemoryModel.predict(facts, c);
            p.problems().forEach(pr -> errors.add(c.name() + ": " + pr));
            boolean launcherInCommand = WorkerCommandLine.fromContainerCommand(c.command()).isPresent();
            for (String refusal : p.refusals()) {
                findings.add(new Finding(FindingCode.WORKER_WONT_START, Severity.CRITICAL,
                        "Dask in " + c.name() + " will not start a worker: `dask worker` exits at start-up. "
                                + refusal + " No worker runs, so there is no memory budget to predict.",
                        c.name(), null));
            }
            if (!p.workers().isEmpty() || launcherInCommand || !p.refusals().isEmpty()) {
                dask.add(new ContainerReport(c, p.workers()));
                if (p.workers().isEmpty() && p.refusals().isEmpty()) {
                    findings.add(new Finding(FindingCode.NO_WORKER_PROCESS, Severity.WARNING,
                            "Container " + c.name() + " starts a Dask worker, but no worker process was visible in it."
                                    + " Dask's budget cannot be predicted; the probe may need root to read /proc.",
                            c.name(), null));
                }
                if (p.versionAssumed() && !p.workers().isEmpty()) {
                    findings.add(new Finding(FindingCode.DASK_VERSION_UNKNOWN, Severity.INFO,
                            "The Dask version in " + c.name() + " was not found; the newest rules (≥ 2023.10.0) were used.",
                            c.name(), null));
                }
            }
        }
        dockerAccess(facts, findings);
        blindSpots(facts, findings);
        if (facts.memInfo() == null) {
            return new HostReport(facts.target(), facts, null, reserveOverride == null ? 0 : reserveOverride,
                    dask, findings, errors, scanMillis);
        }
        long reserve = reserveOverride != null ? reserveOverride : BudgetPolicy.defaultReserve(facts.memInfo());
        long budget = BudgetPolicy.budget(facts.memInfo(), dask, reserve);
        envFindings(facts, findings);
        containerFindings(facts, dask, budget, reserve, findings);
        List<Finding> unified = new ArrayList<>(RecommendedLimit.unify(findings, dask.stream().map(c -> c.facts().name()).toList()));
        unified.sort(Comparator.comparing(Finding::severity).reversed());
        return new HostReport(facts.target(), facts, budget, reserve, dask, unified, errors, scanMillis);
    }

    /** docker refused the probe's user: say so, with the fix (sudo, or the docker group). */
    private static void dockerAccess(HostFacts facts, List<Finding> out) {
        for (SectionProblem p : facts.problems()) {
            if (p.section().equals("docker-ps") && p.reason().toLowerCase(java.util.Locale.ROOT).contains("permission denied")) {
                out.add(new Finding(FindingCode.DOCKER_NOT_PERMITTED, Severity.WARNING,
                        "The SSH user may not use docker on this VM (permission denied on the docker socket), and"
                                + " 'sudo -n docker' did not work either, so no container could be inspected. Set"
                                + " 'sudo: always' for this cluster with passwordless sudo for docker, or add the user to"
                                + " the docker group.", null, null));
            }
        }
    }

    /**
     * What the probe could not see becomes a finding, so that a host whose containers could not be listed (or whose
     * MemAvailable could not be read) is never reported as healthy. Permission denied on docker has its own finding.
     */
    private static void blindSpots(HostFacts facts, List<Finding> out) {
        if (!facts.dockerAvailable() && out.stream().noneMatch(f -> f.code() == FindingCode.DOCKER_NOT_PERMITTED)) {
            String why = facts.problems().stream().filter(p -> p.section().equals("docker-ps")).map(SectionProblem::reason)
                    .findFirst().orElse("the probe did not report the container list");
            long ooms = facts.oomEvents().size();
            out.add(new Finding(FindingCode.SCAN_INCOMPLETE, Severity.WARNING,
                    "The containers on this VM could not be listed (" + why + "), so no Dask container was checked"
                            + (ooms > 0 ? " and the " + ooms + " OOM kill" + (ooms > 1 ? "s" : "") + " in the kernel log could not"
                                    + " be tied to a container" : "")
                            + ". This is not a clean bill of health: make 'docker ps' work for the SSH user (or use --sudo)"
                            + " and scan again.", null, null));
        }
        if (facts.memInfo() == null) {
            out.add(new Finding(FindingCode.SCAN_INCOMPLETE, Severity.WARNING,
                    "MemAvailable could not be read from /proc/meminfo, so what this VM can give Dask is unknown and no"
                            + " limit could be checked against it.", null, null));
        }
    }

    private void containerFindings(HostFacts facts, List<ContainerReport> dask, long budget, long reserve, List<Finding> out) {
        if (dask.isEmpty()) {
            return;
        }
        long share = Bytes.floorMiB(budget / dask.size());
        long sumLimits = 0;
        boolean anyUnlimited = false;
        for (ContainerReport c : dask) {
            Long limit = c.cgroupLimitBytes();
            String name = c.facts().name();
            if (limit == null) {
                anyUnlimited = true;
                Long daskLimit = c.workers().isEmpty() ? null : c.workers().get(0).memoryLimitBytes();
                out.add(new Finding(FindingCode.NO_LIMIT, Severity.CRITICAL,
                        "Container " + name + " has no memory limit, so Dask sized its budget from the host ("
                                + Bytes.human(daskLimit) + ") while the VM can give only " + Bytes.human(budget)
                                + ". When the workers grow, the kernel's OOM killer will kill them before Dask"
                                + " spills, pauses or restarts them. Set mem_limit to " + Bytes.human(share) + ".",
                        name, share));
            } else {
                sumLimits += limit;
                if (limit > budget) {
                    out.add(new Finding(FindingCode.LIMIT_ABOVE_AVAILABLE, Severity.CRITICAL,
                            "Container " + name + " may use up to " + Bytes.human(limit) + " but the VM can give only "
                                    + Bytes.human(budget) + " (MemAvailable plus what Dask holds now, minus a "
                                    + Bytes.human(reserve) + " reserve). The kernel will OOM-kill"
                                    + " the worker before the cgroup limit or Dask's thresholds are reached.",
                            name, share));
                } else {
                    Long terminate = sumTerminate(c);
                    if (terminate != null && terminate > budget) {
                        out.add(new Finding(FindingCode.LIMIT_ABOVE_AVAILABLE, Severity.CRITICAL,
                                "Dask in " + name + " restarts workers only at " + Bytes.human(terminate)
                                        + " (95% of its budget), above the " + Bytes.human(budget) + " the VM can give.",
                                name, share));
                    }
                }
            }
            DaskInItsContainer.findings(c, out);
            oomFindings(facts, c, out);
        }
        if (dask.size() > 1 && !anyUnlimited && sumLimits > budget) {
            out.add(new Finding(FindingCode.OVERCOMMIT, Severity.CRITICAL,
                    "The " + dask.size() + " Dask containers on this VM may use " + Bytes.human(sumLimits)
                            + " together, more than the " + Bytes.human(budget) + " it can give. Each limit looks safe"
                            + " alone, but together they let the kernel OOM-kill workers. Give each "
                            + Bytes.human(share) + ".", null, share));
        }
        if (!anyUnlimited && sumLimits > 0 && budget - sumLimits > Math.max(Bytes.GIB, budget / 4)) {
            out.add(new Finding(FindingCode.WASTED_HEADROOM, Severity.INFO,
                    "The Dask containers' limits add up to " + Bytes.human(sumLimits) + " while the VM could give "
                            + Bytes.human(budget) + ": " + Bytes.human(budget - sumLimits)
                            + " sit unused, and Dask spills to disk earlier than it needs to.",
                    null, share));
        }
    }

    private static Long sumTerminate(ContainerReport c) {
        long sum = 0;
        boolean any = false;
        for (DaskWorker w : c.workers()) {
            Long t = w.terminateBytes();
            if (t != null) {
                sum += t;
                any = true;
            }
        }
        return any ? sum : null;
    }

    private static void oomFindings(HostFacts facts, ContainerReport c, List<Finding> out) {
        ContainerFacts f = c.facts();
        long kills = f.cgroup() != null && f.cgroup().oomKills() != null ? f.cgroup().oomKills() : 0;
        List<OomEvent> lines = facts.oomEvents().stream().filter(e -> f.id().equals(e.containerId())).toList();
        if (kills > 0 || f.oomKilledFlag() || !lines.isEmpty()) {
            StringBuilder msg = new StringBuilder("The kernel's OOM killer killed ");
            msg.append(kills > 0 ? kills + " process" + (kills > 1 ? "es" : "") : "processes").append(" in ").append(f.name());
            if (!lines.isEmpty()) {
                msg.append(" (kernel log: ").append(lines.get(lines.size() - 1).line()).append(")");
            }
            if (f.oomKilledFlag()) {
                msg.append("; the engine marks the container OOMKilled");
            }
            if (!f.workerDeaths().isEmpty()) {
                msg.append("; Dask's nanny logged: ").append(f.workerDeaths().get(f.workerDeaths().size() - 1));
            }
            msg.append(". Workers killed this way lose their tasks and data; Dask did not get to spill or restart them.");
            out.add(new Finding(FindingCode.OOM_KILLS, Severity.CRITICAL, msg.toString(), f.name(), null));
        }
    }

    private void envFindings(HostFacts facts, List<Finding> out) {
        for (Map.Entry<String, String> e : facts.dotEnvValues().entrySet()) {
            checkEnvValue(facts, e.getKey(), e.getValue(), out);
        }
        if (facts.environmentValue() != null) {
            checkEnvValue(facts, "the environment", facts.environmentValue(), out);
        }
    }

    private static void checkEnvValue(HostFacts facts, String where, String value, List<Finding> out) {
        Long bytes = DockerByteSize.parse(value);
        if (bytes == null) {
            out.add(new Finding(FindingCode.ENV_VALUE_INVALID, Severity.CRITICAL,
                    "AVAILABLE_MEMORY_FOR_DASK in " + where + " is '" + value + "', which compose cannot read as a"
                            + " memory size: the Dask container will not start. The widely copied"
                            + " `sed 's/[a-zA-Z]+:\\s+//'` leaves the line unchanged because + is literal in sed's basic"
                            + " regular expressions. Use: awk '/^MemAvailable:/ {print $2 * 1024}' /proc/meminfo",
                    null, null));
            return;
        }
        long total = facts.memInfo().memTotalBytes();
        if (bytes > 0 && bytes * 1024 <= total && bytes * 1024 >= total / 64 && value.matches("\\d+")) {
            out.add(new Finding(FindingCode.ENV_VALUE_INVALID, Severity.CRITICAL,
                    "AVAILABLE_MEMORY_FOR_DASK in " + where + " is " + value + ", which compose reads as bytes ("
                            + Bytes.human(bytes) + "), but it looks like MemAvailable in kB (" + Bytes.human(bytes * 1024)
                            + "). Multiply by 1024 when exporting it.",
                    null, bytes * 1024));
        }
    }
}
