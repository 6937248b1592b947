package io.headroom.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one VM's logs and engine say about worker deaths since a point in time (issue 20), parsed.
 *
 * @param since            the start of the window asked for, or null for "all the logs hold"
 * @param kernelKills      the kernel's OOM kills, oldest first
 * @param daskEvents       the Dask containers' memory lines, per container in log order
 * @param engineStates     every container the engine lists (running or not), by id
 * @param memoryEvents     the memory-cgroup counters of the containers that have them, by id
 * @param truncatedLogs    ids of containers whose log was cut at its cap (older deaths may be missing)
 * @param kernelLogMissing true when no kernel log was readable (a SIGKILL cannot be told from an OOM kill)
 * @param problems         sources that could not be read, in plain words
 * @param engineEvents     the engine's {@code oom} and {@code die} events since {@code since}, oldest first
 * @param bootUnits        the seed's boot units (installed or not, ran or not, the value written)
 */
public record DeathEvidence(Instant since, List<KernelOomKill> kernelKills, List<DaskLogEvent> daskEvents,
                            Map<String, EngineState> engineStates, Map<String, MemoryEvents> memoryEvents,
                            Set<String> truncatedLogs, boolean kernelLogMissing, List<String> problems,
                            List<EngineEvent> engineEvents, List<BootUnitRun> bootUnits) {
    /** Evidence without engine events and boot units (sources not read). */
    public DeathEvidence(Instant since, List<KernelOomKill> kernelKills, List<DaskLogEvent> daskEvents,
                         Map<String, EngineState> engineStates, Map<String, MemoryEvents> memoryEvents,
                         Set<String> truncatedLogs, boolean kernelLogMissing, List<String> problems) {
        this(since, kernelKills, daskEvents, engineStates, memoryEvents, truncatedLogs, kernelLogMissing, problems,
                List.of(), List.of());
    }

    /** The same evidence with {@code problem} added. */
    public DeathEvidence withProblem(String problem) {
        List<String> p = new java.util.ArrayList<>(problems);
        p.add(problem);
        return new DeathEvidence(since, kernelKills, daskEvents, engineStates, memoryEvents, truncatedLogs,
                kernelLogMissing, p, engineEvents, bootUnits);
    }

    public DeathEvidence {
        engineEvents = List.copyOf(engineEvents);
        bootUnits = List.copyOf(bootUnits);
        kernelKills = List.copyOf(kernelKills);
        daskEvents = List.copyOf(daskEvents);
        engineStates = Map.copyOf(engineStates);
        memoryEvents = Map.copyOf(memoryEvents);
        truncatedLogs = Set.copyOf(truncatedLogs);
        problems = List.copyOf(problems);
    }
}
