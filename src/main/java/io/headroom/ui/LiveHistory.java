package io.headroom.ui;

import io.headroom.model.ContainerReport;
import io.headroom.model.HostReport;
import io.headroom.ui.MainViewModel.Sample;
import io.headroom.ui.MainViewModel.Session;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Live mode's memory history: per host, a series of MemAvailable samples and one of usage per Dask
 * container (bytes, with the scan's start time), each capped at {@link MainViewModel#HISTORY} samples,
 * the oldest dropped first. A container's series is dropped once its newest sample is older than the host's
 * oldest MemAvailable sample (it left the host's window: a restarted worker under a new name does not leave a
 * series behind for the rest of the session; docs/decisions/0034-window-at-1000-targets.md). Touched on the UI
 * thread only.
 */
final class LiveHistory {
    private static final String MEM_AVAILABLE = "MemAvailable";

    /** By target, then series name. */
    private final Map<String, Map<String, ArrayDeque<Sample>>> series = new HashMap<>();

    /** Adds a scanned host's MemAvailable and its Dask containers' usage, taken at {@code at} (epoch ms). */
    void record(HostReport h, long at) {
        if (!h.scanned() || h.facts().memInfo() == null) {
            return;
        }
        add(h.target(), MEM_AVAILABLE, new Sample(at, h.facts().memInfo().memAvailableBytes()));
        for (ContainerReport c : h.daskContainers()) {
            if (c.facts().cgroup() != null && c.facts().cgroup().usageBytes() != null) {
                add(h.target(), c.facts().name(), new Sample(at, c.facts().cgroup().usageBytes()));
            }
        }
        dropLeftContainers(h.target());
    }

    /** Drops a target's container series that ended before its MemAvailable series' oldest sample. */
    void dropLeftContainers(String target) {
        Map<String, ArrayDeque<Sample>> byName = series.get(target);
        ArrayDeque<Sample> mem = byName.get(MEM_AVAILABLE);
        long oldest = mem.getFirst().epochMillis();
        byName.entrySet().removeIf(e -> !e.getKey().equals(MEM_AVAILABLE) && e.getValue().getLast().epochMillis() < oldest);
    }

    /** Adds one sample to a target's series ({@code MemAvailable} or a container name). */
    void add(String target, String name, Sample s) {
        ArrayDeque<Sample> ring = series.computeIfAbsent(target, t -> new HashMap<>()).computeIfAbsent(name, n -> new ArrayDeque<>());
        ring.addLast(s);
        if (ring.size() > MainViewModel.HISTORY) {
            ring.removeFirst();
        }
    }

    /** A copy of a target's series; empty when there is none. */
    List<Sample> samples(String target, String name) {
        ArrayDeque<Sample> ring = series.getOrDefault(target, Map.of()).get(name);
        return ring == null ? List.of() : List.copyOf(ring);
    }

    List<Sample> memAvailable(String target) {
        return samples(target, MEM_AVAILABLE);
    }

    /** A host's session: its MemAvailable series and each Dask container's usage series. */
    Session session(HostReport h) {
        Map<String, List<Sample>> usage = new LinkedHashMap<>();
        for (ContainerReport c : h.daskContainers()) {
            usage.put(c.facts().name(), samples(h.target(), c.facts().name()));
        }
        return new Session(memAvailable(h.target()), usage);
    }
}
