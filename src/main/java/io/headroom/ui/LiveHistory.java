package io.headroom.ui;

import io.headroom.model.ContainerReport;
import io.headroom.model.HostReport;
import io.headroom.ui.MainViewModel.Sample;
import io.headroom.ui.MainViewModel.Session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Live mode's memory history: per host, a series of MemAvailable samples and one of usage per Dask
 * container (bytes, with the scan's start time), each capped at {@link MainViewModel#HISTORY} samples,
 * the oldest dropped first. Touched on the UI thread only.
 */
final class LiveHistory {
    private static final String MEM_AVAILABLE = "MemAvailable";

    private final Map<String, List<Sample>> series = new HashMap<>();

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
    }

    /** Adds one sample to a target's series ({@code MemAvailable} or a container name). */
    void add(String target, String name, Sample s) {
        List<Sample> list = series.computeIfAbsent(key(target, name), k -> new ArrayList<>());
        list.add(s);
        if (list.size() > MainViewModel.HISTORY) {
            list.remove(0);
        }
    }

    /** A copy of a target's series; empty when there is none. */
    List<Sample> samples(String target, String name) {
        return List.copyOf(series.getOrDefault(key(target, name), List.of()));
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

    private static String key(String target, String name) {
        return target + "|" + name;
    }
}
