package io.headroom.probe;

import io.headroom.model.BootUnitRun;
import io.headroom.model.DaskLogEvent;
import io.headroom.model.DeathEvidence;
import io.headroom.model.EngineEvent;
import io.headroom.model.EngineState;
import io.headroom.model.KernelOomKill;
import io.headroom.model.MemoryEvents;
import io.headroom.probe.parse.BootUnitParser;
import io.headroom.probe.parse.DaskLogParser;
import io.headroom.probe.parse.EngineEventParser;
import io.headroom.probe.parse.EngineStateParser;
import io.headroom.probe.parse.KernelOomParser;
import io.headroom.probe.parse.ProbeSection;
import io.headroom.probe.parse.ProbeStream;
import io.headroom.probe.parse.ProbeStreamParser;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The output of {@link DeathScript} as {@link DeathEvidence} (issue 20). Sections: {@code kernel-oom-iso}
 * (first line {@code source ...} names where the lines came from), {@code engine-state} (JSON lines),
 * {@code dask-log <id>} per Dask container (first line {@code cut: ...} when the log was longer than read),
 * {@code memory-events <id>} per running Dask container (v2 memory.events, v1 failcnt and oom_control),
 * {@code engine-events} ({@code docker events} oom/die) and {@code boot-unit <unit>} per boot unit of the seed's fix.
 * A section cut at its cap or unavailable becomes a problem in plain words; kernel kills and Dask lines
 * before {@code since} are dropped (dmesg has no --since).
 */
public final class DeathEvidenceAssembler {
    private DeathEvidenceAssembler() {
    }

    public static DeathEvidence assemble(String stdout, String nonce, Instant since) {
        ProbeStream stream = ProbeStreamParser.parse(stdout, nonce);
        List<String> problems = new ArrayList<>();
        if (!stream.complete()) {
            problems.add("the deaths script's output ended early: later sources are missing");
        }
        ProbeSection kernel = stream.first("kernel-oom-iso");
        List<KernelOomKill> kills = new ArrayList<>();
        boolean kernelMissing = kernel == null || kernel.status() == ProbeSection.Status.UNAVAILABLE;
        if (kernelMissing) {
            problems.add(kernel == null ? "no kernel log section" : "kernel log: " + kernel.reason());
        } else {
            if (kernel.status() != ProbeSection.Status.OK) {
                problems.add("kernel log: cut at its cap (older kills may be missing)");
            }
            for (KernelOomKill k : KernelOomParser.parseKills(kernel.content())) {
                if (k.time() == null || since == null || !k.time().isBefore(since)) {
                    kills.add(k);
                }
            }
        }
        ProbeSection state = stream.first("engine-state");
        Map<String, EngineState> states = Map.of();
        if (state == null || state.status() == ProbeSection.Status.UNAVAILABLE) {
            problems.add(state == null ? "no engine state (no containers?)" : "engine: " + state.reason());
        } else {
            states = EngineStateParser.parse(state.content());
        }
        List<DaskLogEvent> events = new ArrayList<>();
        Set<String> truncated = new HashSet<>();
        for (ProbeSection s : stream.all("dask-log")) {
            String id = s.subject();
            EngineState st = states.get(id);
            String who = st == null ? id.substring(0, Math.min(12, id.length())) : st.name();
            if (s.status() == ProbeSection.Status.UNAVAILABLE) {
                problems.add("log of " + who + ": " + s.reason());
                continue;
            }
            if (s.status() != ProbeSection.Status.OK || s.content().startsWith("cut:")) {
                truncated.add(id);
                problems.add("log of " + who + ": cut at its cap (older lines not read)");
            }
            for (DaskLogEvent e : DaskLogParser.parse(id, s.content())) {
                if (e.time() == null || since == null || !e.time().isBefore(since)) {
                    events.add(e);
                }
            }
        }
        Map<String, MemoryEvents> counters = new LinkedHashMap<>();
        for (ProbeSection s : stream.all("memory-events")) {
            if (s.status() == ProbeSection.Status.OK) {
                counters.put(s.subject(), EngineStateParser.memoryEvents(s.content()));
            }
        }
        List<EngineEvent> engineEvents = new ArrayList<>();
        ProbeSection ev = stream.first("engine-events");
        if (ev != null && ev.status() == ProbeSection.Status.UNAVAILABLE) {
            problems.add("engine events: " + ev.reason());
        } else if (ev != null) {
            for (EngineEvent e : EngineEventParser.parse(ev.content())) {
                if (since == null || !e.time().isBefore(since)) {
                    engineEvents.add(e);
                }
            }
        }
        List<BootUnitRun> units = new ArrayList<>();
        for (ProbeSection s : stream.all("boot-unit")) {
            if (s.status() != ProbeSection.Status.UNAVAILABLE) {
                units.add(BootUnitParser.parse(s.subject(), s.content()));
            } else if (units.isEmpty() && problems.stream().noneMatch(p -> p.startsWith("boot units: "))) {
                problems.add("boot units: " + s.reason());
            }
        }
        return new DeathEvidence(since, kills, events, states, counters, truncated, kernelMissing, problems, engineEvents, units);
    }
}
