package io.headroom.analysis;

import io.headroom.analysis.dask.DaskVersion;
import io.headroom.model.BootUnitRun;
import io.headroom.model.Bytes;
import io.headroom.model.ContainerReport;
import io.headroom.model.DaskLogEvent;
import io.headroom.model.DaskLogEvent.Kind;
import io.headroom.model.DaskWorker;
import io.headroom.model.DeathCause;
import io.headroom.model.DeathEvidence;
import io.headroom.model.DeathTimeline;
import io.headroom.model.DeathTimeline.PoisonTask;
import io.headroom.model.EngineEvent;
import io.headroom.model.EngineState;
import io.headroom.model.Finding;
import io.headroom.model.HostReport;
import io.headroom.model.KernelOomKill;
import io.headroom.model.MemoryEvents;
import io.headroom.model.WorkerDeath;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One death, one verdict (issue 20): joins a VM's evidence by container, PID and time into worker deaths.
 * <ol>
 *   <li>Each kernel OOM kill of a Python/Dask process (or of any process in a Dask container) is a death:
 *       {@code KERNEL_OOM_CONTAINER} for a memory-cgroup OOM, {@code KERNEL_OOM_HOST} for a global one. The
 *       nanny's "killed by signal 9" line of the same container within {@link #MATCH} after it is its echo
 *       (it gives the worker's PID inside the container). An echo further away but within {@link #CLOCK}
 *       is taken too, and the death marked uncertain (clock disagreement).</li>
 *   <li>Each nanny "exceeded N% memory budget" line is a {@code DASK_NANNY_RESTART}; the "killed by signal
 *       15" / "exited" line that follows for the same worker PID is its echo.</li>
 *   <li>A nanny "killed by signal"/"exited with status ≠ 0" line nothing explains is {@code KILLED_BY_SIGNAL}
 *       (uncertain when the kernel log could not be read: it may be an OOM kill).</li>
 *   <li>A nanny "killed by signal 9" line the kernel log does not explain is still a {@code KERNEL_OOM_CONTAINER}
 *       when the engine's {@code oom} event for the container came within {@link #MATCH} before it (the time is
 *       the engine's), or when the container's cgroup counted more OOM kills ({@code memory.events oom_kill}, v1
 *       {@code oom_control oom_kill}) than the kernel log shows for it: the counter proves the kill.</li>
 *   <li>A container the engine reports exited with a non-zero code is {@code CONTAINER_EXITED}
 *       ({@code KERNEL_OOM_CONTAINER} when State.OOMKilled is true, or when the engine's {@code oom} event came
 *       just before); each {@code die} event of a Dask container is one exit (State keeps only the last).</li>
 * </ol>
 * The cgroup's counters are shown with each OOM death of their container; the seed's boot units (whether the
 * one that writes {@code AVAILABLE_MEMORY_FOR_DASK} ran at this boot, and the value) go into the OOM deaths' fix.
 * Uncertain, with why: no wall-clock time in the kernel log, clocks that disagree, a host PID killed twice
 * (reused), a kernel kill in a container the engine no longer knows (recreated under the same name?), a
 * container log cut at its cap. The limit, budget and fix come from the scan's own model: the container's
 * limit, the worker's budget ({@link DaskWorker#memoryLimitBytes()}) and {@link RecommendedLimit}. Pure.
 */
public final class DeathJoin {
    /** How long after the kernel's kill the nanny's echo may come. */
    public static final Duration MATCH = Duration.ofSeconds(30);
    /** Beyond MATCH and within this, an echo is taken with the death marked "clocks disagree". */
    public static final Duration CLOCK = Duration.ofMinutes(10);
    /** Pauses / warnings of one container closer than this to the previous one of their kind are folded. */
    public static final Duration FOLD = Duration.ofMinutes(1);

    private DeathJoin() {
    }

    /**
     * @param host     the VM's name
     * @param evidence what the VM's logs and engine say
     * @param report   the scan of the same VM (limits, budgets, findings), or null when none
     */
    public static DeathTimeline join(String host, DeathEvidence evidence, HostReport report) {
        Map<String, List<DaskLogEvent>> byContainer = new HashMap<>();
        for (DaskLogEvent e : evidence.daskEvents()) {
            byContainer.computeIfAbsent(e.containerId(), k -> new ArrayList<>()).add(e);
        }
        Set<DaskLogEvent> used = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        Sizing sizing = new Sizing(report);
        List<WorkerDeath> deaths = new ArrayList<>();

        Map<Integer, Integer> pidKills = new HashMap<>();
        Map<String, Integer> killsIn = new HashMap<>();
        for (KernelOomKill k : evidence.kernelKills()) {
            pidKills.merge(k.pid(), 1, Integer::sum);
            if (k.containerId() != null) {
                killsIn.merge(k.containerId(), 1, Integer::sum);
            }
        }
        sizing.boot = bootNote(evidence.bootUnits());
        Set<EngineEvent> usedEvents = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (KernelOomKill k : evidence.kernelKills()) {
            boolean dask = k.containerId() != null && sizing.isDask(k.containerId());
            String name = k.processName() == null ? "" : k.processName();
            if (!dask && !name.startsWith("python") && !name.startsWith("dask")) {
                continue;
            }
            List<String> lines = new ArrayList<>(k.lines());
            List<String> doubts = new ArrayList<>();
            DaskLogEvent echo = null;
            if (k.time() == null) {
                doubts.add("the kernel log gave no wall-clock time (monotonic only)");
            } else if (k.containerId() != null) {
                echo = echo(byContainer.get(k.containerId()), used, k.time(), MATCH);
                if (echo == null) {
                    echo = echo(byContainer.get(k.containerId()), used, k.time(), CLOCK);
                    if (echo != null) {
                        doubts.add("clocks disagree: the kernel's kill at " + k.time() + " and the nanny's line at "
                                + echo.time() + " are " + Duration.between(k.time(), echo.time()).abs().toSeconds() + " s apart");
                    }
                }
            }
            if (echo != null) {
                used.add(echo);
                lines.add(echo.line());
            }
            if (pidKills.get(k.pid()) > 1) {
                doubts.add("host PID " + k.pid() + " was killed " + pidKills.get(k.pid()) + " times: the PID was reused");
            }
            EngineState st = k.containerId() == null ? null : evidence.engineStates().get(k.containerId());
            if (k.containerId() != null && st == null) {
                doubts.add("the kernel names container " + shortId(k.containerId())
                        + ", which the engine no longer lists (removed, or recreated under the same name)");
            }
            if (echo == null && k.containerId() != null && evidence.truncatedLogs().contains(k.containerId())) {
                doubts.add("the container's log was cut at its cap: the nanny's line may be in the part not read");
            }
            DeathCause cause = k.cgroupOom() ? DeathCause.KERNEL_OOM_CONTAINER : DeathCause.KERNEL_OOM_HOST;
            if (k.parentLimit()) {
                doubts.add("the limit reached was " + k.oomMemcg() + "'s, a cgroup above the container's own ("
                        + "a systemd slice's MemoryMax or a --cgroup-parent's limit), not the container's");
            }
            if (k.containerId() != null && k.time() != null) {
                // Docker sends "oom" for the VM's OOM kills too (see oomCause): the same kill, either way
                EngineEvent oom = engineEvent(evidence.engineEvents(), usedEvents, "oom", k.containerId(), k.time(), k.time());
                if (oom != null) {
                    usedEvents.add(oom);
                    lines.add(oom.line());
                }
            }
            if (k.containerId() != null) {
                addCounters(lines, evidence.memoryEvents().get(k.containerId()));
            }
            deaths.add(death(k.time(), cause, doubts, k.containerId(), st, sizing, null, k.pid(),
                    echo == null ? null : echo.pid(), lines, null));
        }

        for (Map.Entry<String, List<DaskLogEvent>> en : byContainer.entrySet()) {
            String id = en.getKey();
            List<DaskLogEvent> events = en.getValue();
            EngineState st = evidence.engineStates().get(id);
            for (int i = 0; i < events.size(); i++) {
                DaskLogEvent e = events.get(i);
                if (e.kind() == Kind.NANNY_RESTART && !used.contains(e)) {
                    used.add(e);
                    List<String> lines = new ArrayList<>(List.of(e.line()));
                    Integer pid = e.pid();
                    for (int j = i + 1; j < events.size(); j++) {
                        DaskLogEvent f = events.get(j);
                        boolean gone = f.kind() == Kind.KILLED_BY_SIGNAL || f.kind() == Kind.EXITED;
                        if (gone && !used.contains(f) && (pid == null || pid.equals(f.pid()))
                                && within(e.time(), f.time(), MATCH)) {
                            used.add(f);
                            lines.add(f.line());
                            pid = f.pid();
                            break;
                        }
                    }
                    deaths.add(death(e.time(), DeathCause.DASK_NANNY_RESTART, List.of(), id, st, sizing,
                            e.workerAddress(), null, pid, lines, e.number()));
                }
            }
            for (DaskLogEvent e : events) {
                boolean gone = e.kind() == Kind.KILLED_BY_SIGNAL || e.kind() == Kind.EXITED && e.number() != null && e.number() != 0;
                if (gone && !used.contains(e)) {
                    used.add(e);
                    if (e.kind() == Kind.KILLED_BY_SIGNAL && Integer.valueOf(9).equals(e.number())) {
                        WorkerDeath oom = unloggedOom(e, id, st, evidence, killsIn, usedEvents, sizing);
                        if (oom != null) {
                            deaths.add(oom);
                            continue;
                        }
                    }
                    List<String> doubts = new ArrayList<>();
                    if (evidence.kernelLogMissing() && (e.number() == null || e.number() == 9)) {
                        doubts.add("the kernel log could not be read: this SIGKILL may be an OOM kill");
                    }
                    if (e.time() == null) {
                        doubts.add("the log line has no time");
                    }
                    deaths.add(death(e.time(), DeathCause.KILLED_BY_SIGNAL, doubts, id, st, sizing, null, null,
                            e.pid(), List.of(e.line()), e.kind() == Kind.EXITED ? Integer.valueOf(-e.number()) : e.number()));
                }
            }
        }

        List<EngineEvent> dies = new ArrayList<>();
        for (EngineEvent ev : evidence.engineEvents()) {
            // only Dask containers (the scan's, or one whose log had Dask lines): a removed container's die is no worker's
            boolean dask = sizing.isDask(ev.containerId()) || byContainer.containsKey(ev.containerId());
            if (dask && "die".equals(ev.action()) && ev.exitCode() != null && ev.exitCode() != 0) {
                dies.add(ev);
            }
        }
        for (EngineState st : evidence.engineStates().values()) {
            boolean ended = !"running".equals(st.status()) && st.finishedAt() != null
                    && (st.oomKilled() || st.exitCode() != null && st.exitCode() != 0);
            boolean told = dies.stream().anyMatch(d -> d.containerId().equals(st.containerId())
                    && within(d.time(), st.finishedAt(), Duration.ofSeconds(2)));
            if (ended && !told && (evidence.since() == null || !st.finishedAt().isBefore(evidence.since()))) {
                List<String> doubts = new ArrayList<>();
                List<String> lines = new ArrayList<>(List.of(stateLine(st)));
                DeathCause cause = st.oomKilled() ? engineOom(st.containerId(), evidence, sizing, lines, doubts)
                        : DeathCause.CONTAINER_EXITED;
                deaths.add(death(st.finishedAt(), cause, doubts, st.containerId(), st, sizing, null, null, null, lines,
                        st.exitCode()));
            }
        }
        for (EngineEvent ev : dies) {
            EngineState st = evidence.engineStates().get(ev.containerId());
            List<String> lines = new ArrayList<>();
            EngineEvent oom = engineEvent(evidence.engineEvents(), usedEvents, "oom", ev.containerId(), ev.time(), ev.time());
            if (oom != null) {
                usedEvents.add(oom);
                lines.add(oom.line());
            }
            lines.add(ev.line());
            boolean last = st != null && st.finishedAt() != null && within(ev.time(), st.finishedAt(), Duration.ofSeconds(2));
            if (last) {
                lines.add(stateLine(st));
            }
            boolean oomKilled = oom != null || last && st.oomKilled();
            List<String> doubts = new ArrayList<>();
            DeathCause cause = oomKilled ? engineOom(ev.containerId(), evidence, sizing, lines, doubts) : DeathCause.CONTAINER_EXITED;
            WorkerDeath d = death(ev.time(), cause, doubts, ev.containerId(), st, sizing, null, null, null, lines, ev.exitCode());
            deaths.add(d.container() != null || ev.name() == null ? d : new WorkerDeath(d.time(), d.cause(), d.uncertain(),
                    d.containerId(), ev.name(), d.service(), d.workerAddress(), d.hostPid(), d.workerPid(), d.limitBytes(),
                    d.budgetBytes(), d.fix(), d.evidence()));
        }
        List<String> problems = new ArrayList<>(evidence.problems());
        for (Map.Entry<String, MemoryEvents> en : evidence.memoryEvents().entrySet()) {
            long counted = en.getValue().oomKill() == null ? 0 : en.getValue().oomKill();
            // oom_kill counts kills by any OOM killer, the VM's global one included (cgroup-v2.rst)
            long shown = deaths.stream().filter(d -> en.getKey().equals(d.containerId())
                    && d.cause().kernelOom()).count();
            if (counted > shown) {
                EngineState st = evidence.engineStates().get(en.getKey());
                problems.add("the memory cgroup of " + (st == null ? shortId(en.getKey()) : st.name()) + " counted " + counted
                        + " OOM kill(s) since it was created" + (st == null || st.startedAt() == null ? "" : " (started " + st.startedAt() + ")")
                        + "; " + (counted - shown) + " of them are in no log read (before --since, or the log was cut)");
            }
        }
        deaths.sort(Comparator.comparing(WorkerDeath::time, Comparator.nullsLast(Comparator.naturalOrder())));
        return new DeathTimeline(host, deaths, warnings(evidence.daskEvents()), poison(evidence.daskEvents(), deaths,
                id -> schedulerVersion(report, id)),
                problems, evidence.bootUnits());
    }

    /** The first unused "killed by signal 9" line within {@code window} after (or 2 s before) {@code t}. */
    private static DaskLogEvent echo(List<DaskLogEvent> events, Set<DaskLogEvent> used, Instant t, Duration window) {
        if (events == null) {
            return null;
        }
        DaskLogEvent best = null;
        for (DaskLogEvent e : events) {
            if (e.kind() == Kind.KILLED_BY_SIGNAL && Integer.valueOf(9).equals(e.number()) && !used.contains(e)
                    && e.time() != null) {
                Duration d = Duration.between(t, e.time());
                boolean in = window == MATCH ? !d.isNegative() || d.abs().getSeconds() <= 2 : d.abs().compareTo(window) <= 0;
                if (in && (best == null || Duration.between(t, e.time()).abs().compareTo(Duration.between(t, best.time()).abs()) < 0)) {
                    best = e;
                }
            }
        }
        return best != null && Duration.between(t, best.time()).compareTo(window) <= 0 ? best : null;
    }

    private static boolean within(Instant a, Instant b, Duration d) {
        return a == null || b == null || Duration.between(a, b).abs().compareTo(d) <= 0;
    }

    private static WorkerDeath death(Instant time, DeathCause cause, List<String> doubts, String id, EngineState st,
                                     Sizing sizing, String address, Integer hostPid, Integer workerPid,
                                     List<String> lines, Integer number) {
        ContainerReport cr = id == null ? null : sizing.byId.get(id);
        String name = st != null ? st.name() : cr != null ? cr.facts().name() : null;
        String service = cr != null ? cr.facts().composeService() : null;
        Long limit = cr != null ? cr.facts().memoryLimitBytes() : null;
        DaskWorker w = cr == null || cr.workers().isEmpty() ? null : cr.workers().get(0);
        Long budget = w == null ? null : w.memoryLimitBytes();
        Long recommended = name == null ? null : RecommendedLimit.forContainer(sizing.findings, name);
        String fix = fix(cause, cr != null, limit, budget, recommended, sizing.vmBudget, number);
        if (sizing.boot != null && cause.kernelOom()) {
            fix += " " + sizing.boot;
        }
        return new WorkerDeath(time, cause, doubts.isEmpty() ? null : String.join("; ", doubts), id, name, service,
                address, hostPid, workerPid, limit, budget, fix, lines);
    }

    /**
     * The fix in plain words and bytes (the scan's numbers: limit, Dask's budget, the recommended limit); {@code scanned}
     * false when the container is not in the scan (removed), so that a null limit is "not known", not "no limit".
     */
    static String fix(DeathCause cause, boolean scanned, Long limit, Long budget, Long recommended, Long vmBudget, Integer number) {
        String rec = recommended == null ? "" : " Headroom recommends mem_limit " + Bytes.human(recommended) + ".";
        return switch (cause) {
            case KERNEL_OOM_CONTAINER -> {
                if (!scanned) {
                    yield "The kernel killed the worker at its container's limit. The container is not in the scan (removed,"
                            + " or not running), so its limit and Dask's budget are not known here: keep Dask's --memory-limit"
                            + " at 90% of the container's limit or lower.";
                }
                if (limit != null && (budget == null || budget > limit * 0.9)) {
                    long safe = Bytes.floorMiB((long) (limit * 0.9));
                    yield "The kernel killed the worker at the container's limit (" + Bytes.human(limit) + ") before Dask's nanny"
                            + " could act" + (budget == null ? "" : ": Dask's budget is " + Bytes.human(budget))
                            + ". Start the worker with --memory-limit " + Bytes.human(safe) + " (90% of the limit) or lower,"
                            + " or raise the limit." + rec;
                }
                yield "The kernel killed the worker inside its container: memory grew faster than the nanny's 100 ms check"
                        + (limit == null ? "" : " (limit " + Bytes.human(limit) + (budget == null ? "" : ", Dask's budget " + Bytes.human(budget)) + ")")
                        + ". Give the task more room, smaller chunks or fewer threads per worker." + rec;
            }
            case KERNEL_OOM_HOST -> (!scanned
                    ? "The VM ran out of memory (this container is not in the scan, so its limit is not known here)."
                    : limit == null
                    ? "The VM ran out of memory and this container has no limit" + (budget == null ? ", so Dask's nanny never acted."
                    : ": Dask's budget (" + Bytes.human(budget) + ") counts memory the VM did not have"
                    + (vmBudget == null ? "" : " (it can give Dask " + Bytes.human(vmBudget) + ")")
                    + ", so the kernel killed the worker before the nanny's restart at 95% (" + Bytes.human((long) (budget * 0.95)) + ").")
                    : "The VM ran out of memory: its containers' limits add up to more than it can give"
                    + (vmBudget == null ? "" : " (" + Bytes.human(vmBudget) + " for Dask)") + ".")
                    + (recommended == null ? " Set each worker's mem_limit to its share of what the VM can give." : rec);
            case DASK_NANNY_RESTART -> "Dask's limit works: the nanny restarted the worker at " + (number == null ? 95 : number)
                    + "% of its budget" + (budget == null ? "" : " (" + Bytes.human(budget) + ")")
                    + ". The task needs more memory: give the worker more, use smaller chunks, or fewer threads (--nthreads).";
            case KILLED_BY_SIGNAL -> "Signal " + (number == null ? "unknown" : number < 0 ? "none (exit status " + (-number) + ")" : number)
                    + " came from outside Dask's nanny and the kernel's OOM killer: check what sent it (docker stop/kill,"
                    + " an orchestrator, a health check) and the worker's own log.";
            case CONTAINER_EXITED -> "The container exited" + (number == null ? "" : " with code " + number)
                    + ": read its log (docker logs) and its restart policy.";
        };
    }

    /** Pauses and unmanaged-memory warnings, one per run of the same kind in a container (FOLD apart). */
    static List<DaskLogEvent> warnings(List<DaskLogEvent> events) {
        Map<String, Instant> last = new HashMap<>();
        List<DaskLogEvent> out = new ArrayList<>();
        for (DaskLogEvent e : events) {
            if (e.kind() != Kind.PAUSED && e.kind() != Kind.UNMANAGED_HIGH) {
                continue;
            }
            String k = e.containerId() + "/" + e.kind();
            Instant prev = last.get(k);
            if (prev == null || e.time() == null || Duration.between(prev, e.time()).compareTo(FOLD) > 0) {
                out.add(e);
            }
            if (e.time() != null) {
                last.put(k, e.time());
            }
        }
        out.sort(Comparator.comparing(DaskLogEvent::time, Comparator.nullsLast(Comparator.naturalOrder())));
        return out;
    }

    /**
     * The scheduler's "Task K marked as failed because N workers died" lines, each with the deaths that made the
     * scheduler give up, up to the line's time (within {@link #CLOCK}). Dask fails the task when more than
     * {@code allowed-failures} workers died running it ({@code ts.suspicious > self.allowed_failures} in
     * {@code Scheduler.remove_worker}); what N is depends on the scheduler's version:
     * <ul>
     *   <li>before 2023.8.0 N is {@code self.allowed_failures}: N + 1 deaths (2022.12.1's scheduler.py, read here);</li>
     *   <li>from 2023.8.0 N is {@code ts.suspicious}: N deaths (dask/distributed c8ec28361, "Fix log message", #8029;
     *       seen on the v2 lab's 2024.12.1: allowed-failures 0, "because 1 workers died").</li>
     * </ul>
     * The scheduler's version is its own container's when that container also runs a worker the scan saw, else the
     * VM's Dask workers' when they agree on the band, else unknown and read as the newer rule (current Dask).
     * When the scheduler's container had deaths in the window (scheduler and worker in one container, one cluster per
     * container), only those count: another container's deaths belong to another scheduler.
     */
    static List<PoisonTask> poison(List<DaskLogEvent> events, List<WorkerDeath> deaths,
            java.util.function.Function<String, DaskVersion> schedulerVersion) {
        List<PoisonTask> out = new ArrayList<>();
        for (DaskLogEvent e : events) {
            if (e.kind() != Kind.TASK_FAILED) {
                continue;
            }
            List<WorkerDeath> before = new ArrayList<>();
            if (e.time() != null) {
                for (WorkerDeath d : deaths) {
                    if (d.time() != null && !d.time().isAfter(e.time().plusSeconds(2))
                            && Duration.between(d.time(), e.time()).compareTo(CLOCK) <= 0) {
                        before.add(d);
                    }
                }
            }
            List<WorkerDeath> own = before.stream().filter(d -> e.containerId() != null && e.containerId().equals(d.containerId()))
                    .toList();
            if (!own.isEmpty()) {
                before = own;
            }
            DaskVersion v = schedulerVersion.apply(e.containerId());
            boolean logsAllowed = v != null && !v.atLeast(2023, 8, 0);
            int logged = e.number() == null ? (logsAllowed ? 0 : 1) : e.number();
            int n = logsAllowed ? logged + 1 : logged;
            Integer allowed = e.number() == null ? null : logsAllowed ? logged : Math.max(0, logged - 1);
            List<WorkerDeath> caused = before.subList(Math.max(0, before.size() - n), before.size());
            out.add(new PoisonTask(e.taskKey(), allowed, e.line(), caused));
        }
        return out;
    }

    /**
     * The Dask version a scheduler in {@code containerId} runs, as far as the scan tells: its container's when the scan
     * saw a worker there, else the one band all of the VM's Dask containers share, else null.
     */
    static DaskVersion schedulerVersion(HostReport report, String containerId) {
        if (report == null) {
            return null;
        }
        Set<Boolean> bands = new HashSet<>();
        DaskVersion any = null;
        for (ContainerReport c : report.daskContainers()) {
            DaskVersion v = c.facts().processes().stream().flatMap(p -> p.daskVersions().stream()).map(DaskVersion::parse)
                    .filter(java.util.Objects::nonNull).findFirst().orElse(null);
            if (v == null) {
                continue;
            }
            if (c.facts().id().equals(containerId)) {
                return v;
            }
            bands.add(v.atLeast(2023, 8, 0));
            any = v;
        }
        return bands.size() == 1 ? any : null;
    }

    /**
     * A nanny SIGKILL line no kernel line explains, as a container OOM when the engine's {@code oom} event came just
     * before it, or when the container's cgroup counted more OOM kills than the kernel log shows; else null.
     */
    private static WorkerDeath unloggedOom(DaskLogEvent e, String id, EngineState st, DeathEvidence evidence,
                                           Map<String, Integer> killsIn, Set<EngineEvent> usedEvents, Sizing sizing) {
        List<String> lines = new ArrayList<>(List.of(e.line()));
        MemoryEvents counters = evidence.memoryEvents().get(id);
        Instant time = e.time();
        EngineEvent oom = e.time() == null ? null
                : engineEvent(evidence.engineEvents(), usedEvents, "oom", id, e.time().minus(MATCH), e.time().plusSeconds(2));
        if (oom != null) {
            usedEvents.add(oom);
            lines.add(0, oom.line());
            time = oom.time();
        } else if (counters != null && counters.oomKill() != null && counters.oomKill() > killsIn.getOrDefault(id, 0)) {
            killsIn.merge(id, 1, Integer::sum);
        } else {
            return null;
        }
        List<String> doubts = new ArrayList<>();
        if (time == null) {
            doubts.add("the log line has no time");
        }
        DeathCause cause = engineOom(id, evidence, sizing, lines, doubts);
        return death(time, cause, doubts, id, st, sizing, null, null, e.pid(), lines, null);
    }

    /** An OOM kill the engine reported ({@code oom} event, {@code OOMKilled}): its cause, with the cgroup's counters added to lines. */
    private static DeathCause engineOom(String id, DeathEvidence evidence, Sizing sizing, List<String> lines, List<String> doubts) {
        MemoryEvents counters = evidence.memoryEvents().get(id);
        addCounters(lines, counters);
        return oomCause(sizing.byId.get(id), counters, doubts);
    }

    /**
     * Which OOM killer an OOM kill that no kernel line explains came from: the engine's {@code oom} event and
     * {@code State.OOMKilled} do not tell. Docker sends {@code oom} and sets {@code OOMKilled} for any OOM kill in
     * the container's cgroup, the VM's global one included (moby {@code daemon/monitor.go}, {@code EventOOM}; measured
     * on the lab's v2 VM, 2026-12-06: a {@code global_oom} kill gave "container oom", {@code OOMKilled: true} and
     * {@code memory.events} {@code oom 0 oom_kill 1}). What tells: cgroup v2 {@code memory.events} {@code oom} counts
     * only the times the cgroup's usage reached its limit, {@code oom_kill} processes killed "by any kind of OOM
     * killer" (Documentation/admin-guide/cgroup-v2.rst); v1 {@code memory.failcnt} counts the times usage hit the
     * limit; and a container without a limit (in the scan, {@code cr}; null when unknown) cannot reach one. When
     * nothing tells, the container's limit is taken (the engine's own word) and the death marked uncertain with why.
     */
    static DeathCause oomCause(ContainerReport cr, MemoryEvents c, List<String> doubts) {
        if (cr != null && cr.facts().memoryLimitBytes() == null) {
            return DeathCause.KERNEL_OOM_HOST;
        }
        if (c != null && c.oom() != null && c.oomKill() != null) {
            if (c.oom() == 0 && c.oomKill() > 0) {
                return DeathCause.KERNEL_OOM_HOST;
            }
            if (c.oom() >= c.oomKill()) {
                return DeathCause.KERNEL_OOM_CONTAINER;
            }
        } else if (c != null && c.failcnt() != null) {
            // v1 has no count of OOMs at the limit: a limit never hit rules the container's OOM out, one hit is taken as it
            return c.failcnt() == 0 ? DeathCause.KERNEL_OOM_HOST : DeathCause.KERNEL_OOM_CONTAINER;
        }
        doubts.add("the engine reports the VM's OOM kills as well as the container's, and no kernel line or cgroup"
                + " counter tells which this was");
        return DeathCause.KERNEL_OOM_CONTAINER;
    }

    /** The first unused engine event of that action and container with a time in [from, to + MATCH]. */
    private static EngineEvent engineEvent(List<EngineEvent> events, Set<EngineEvent> used, String action, String id,
                                           Instant from, Instant to) {
        for (EngineEvent ev : events) {
            if (action.equals(ev.action()) && id.equals(ev.containerId()) && !used.contains(ev)
                    && !ev.time().isBefore(from.minusSeconds(2)) && !ev.time().isAfter(to.plus(MATCH))) {
                return ev;
            }
        }
        return null;
    }

    private static void addCounters(List<String> lines, MemoryEvents c) {
        if (c == null) {
            return;
        }
        StringBuilder b = new StringBuilder("cgroup counters since the container started:");
        if (c.oom() != null) {
            b.append(" oom ").append(c.oom());
        }
        if (c.oomKill() != null) {
            b.append(" oom_kill ").append(c.oomKill());
        }
        if (c.max() != null) {
            b.append(" max ").append(c.max());
        }
        if (c.high() != null) {
            b.append(" high ").append(c.high());
        }
        if (c.failcnt() != null) {
            b.append(" failcnt ").append(c.failcnt());
        }
        lines.add(b.toString());
    }

    private static String stateLine(EngineState st) {
        return "engine: " + st.name() + " " + st.status() + ", ExitCode=" + st.exitCode() + ", OOMKilled=" + st.oomKilled()
                + ", FinishedAt=" + st.finishedAt() + ", RestartCount=" + st.restartCount();
    }

    /**
     * The unit that writes the memory value: boot-snippet's {@code headroom-dask-memory.service} when installed, else the
     * first installed unit the deaths script found by its content (renamed, or the operator's own), else the
     * uninstalled default (so the note says none is installed); null when none was read.
     */
    static BootUnitRun memoryUnit(List<BootUnitRun> units) {
        BootUnitRun named = units.stream().filter(u -> u.unit().equals(BootUnitRun.MEMORY_UNIT)).findFirst().orElse(null);
        if (named != null && named.installed()) {
            return named;
        }
        return units.stream().filter(u -> !u.unit().equals(BootUnitRun.MEMORY_UNIT)
                && !u.unit().equals(BootUnitRun.COMPOSE_UNIT) && u.installed()).findFirst().orElse(named);
    }

    /** What the seed's boot unit did at this boot, for the fix of an OOM death; null when it was not read. */
    static String bootNote(List<BootUnitRun> units) {
        BootUnitRun memory = memoryUnit(units);
        if (memory == null) {
            return null;
        }
        if (!memory.installed()) {
            return "No boot unit measures MemAvailable on this VM (" + memory.unit() + " is not installed: headroom boot-snippet --unit).";
        }
        if (memory.startedAt() == null) {
            return memory.unit() + " did not run at this boot: the limit is not this boot's MemAvailable.";
        }
        if (!memory.succeeded()) {
            return memory.summary() + ": the .env keeps an older value.";
        }
        // boot-snippet's unit goes without its name; a renamed or the operator's own is named
        return "The boot unit " + (memory.unit().equals(BootUnitRun.MEMORY_UNIT)
                ? memory.summary().substring(memory.unit().length() + 1) : memory.summary())
                + (memory.valueBytes() == null ? "" : "; a container's limit is that value only if compose recreated it after.") ;
    }

    private static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    /** The scan's view of the VM: Dask containers by id, findings, what the VM can give Dask. */
    private static final class Sizing {
        final Map<String, ContainerReport> byId = new HashMap<>();
        final List<Finding> findings;
        final Long vmBudget;
        final Set<String> dask = new HashSet<>();
        String boot;

        Sizing(HostReport report) {
            findings = report == null ? List.of() : report.findings();
            vmBudget = report == null ? null : report.budgetBytes();
            if (report != null) {
                for (ContainerReport c : report.daskContainers()) {
                    byId.put(c.facts().id(), c);
                    dask.add(c.facts().id());
                }
            }
        }

        boolean isDask(String id) {
            return dask.contains(id);
        }
    }
}
