package io.headroom.probe;

import io.headroom.model.CgroupMemory;
import io.headroom.model.ContainerFacts;
import io.headroom.model.HostFacts;
import io.headroom.model.MemInfo;
import io.headroom.probe.parse.CgroupSectionParser;
import io.headroom.probe.parse.MemInfoParser;
import io.headroom.probe.parse.ProbeSection;
import io.headroom.probe.parse.ProbeStream;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies a light refresh ({@link RefreshScript}) to the facts of the last full scan: new MemAvailable and
 * new memory files for each known container, everything else as the full scan found it. When the refresh
 * cannot stand for a scan (a container's cgroup is gone, a section is missing, the output was cut, a counter
 * went backwards because the container restarted) it says why, and the caller runs the full probe instead.
 */
public final class RefreshAssembler {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");

    private RefreshAssembler() {
    }

    /**
     * @param facts            the refreshed facts, or null when {@code fullProbeReason} is set
     * @param siblingIds       the container ids (64 hex) named beside the known cgroups: a change between two
     *                         refreshes means containers came or went
     * @param fullProbeReason  why the full probe must run, or null
     */
    public record Result(HostFacts facts, Set<String> siblingIds, String fullProbeReason) {
        static Result full(String why) {
            return new Result(null, Set.of(), why);
        }
    }

    /**
     * @param previous       the facts of the last full scan (or the last refresh)
     * @param stream         the refresh's output, parsed with its nonce
     * @param elapsedSeconds seconds since {@code previous} was read (the refresh reads no clock: no fork)
     */
    public static Result apply(HostFacts previous, ProbeStream stream, long elapsedSeconds) {
        if (!stream.complete()) {
            return Result.full("the light refresh did not finish");
        }
        Map<String, StringBuilder> grepped = grepped(stream.first("grep"));
        StringBuilder mem = grepped.get("/proc/meminfo");
        if (mem == null) {
            return Result.full("the light refresh could not read /proc/meminfo");
        }
        MemInfo memInfo;
        try {
            memInfo = MemInfoParser.parse(mem.toString());
        } catch (RuntimeException e) {
            return Result.full("the light refresh's /proc/meminfo was unreadable: " + e.getMessage());
        }
        List<ContainerFacts> containers = new ArrayList<>();
        for (ContainerFacts c : previous.containers()) {
            if (c.cgroup() == null || !RefreshScript.safe(c.id(), c.cgroup().version(), c.cgroup().directory())) {
                containers.add(c);
                continue;
            }
            ProbeSection s = stream.find("container-cgroup", c.id());
            if (s == null || !s.ok()) {
                return Result.full("container " + c.name() + " changed (its cgroup "
                        + (s == null ? "was not read" : "is " + s.reason()) + ")");
            }
            CgroupMemory fresh;
            StringBuilder stat = grepped.get(readDirectory(s.content(), c.cgroup().directory()) + "/memory.stat");
            String content = s.content() + (stat == null ? "\n--- memory.stat unavailable" : "\n--- memory.stat\n" + stat);
            try {
                fresh = CgroupSectionParser.parse(content);
            } catch (RuntimeException e) {
                return Result.full("container " + c.name() + ": " + e.getMessage());
            }
            String back = wentBackwards(c.cgroup(), fresh);
            if (back != null) {
                return Result.full("container " + c.name() + " restarted or its counters were reset (" + back + ")");
            }
            containers.add(c.with(merged(c.cgroup(), fresh), c.processes()));
        }
        HostFacts f = previous;
        HostFacts facts = new HostFacts(f.target(), f.probeVersion(), f.epochSeconds() + Math.max(0, elapsedSeconds),
                f.hostname(), f.kernelRelease(), f.cpuCount(), f.cgroupMode(), memInfo, containers, f.composeFiles(),
                f.dotEnvValues(), f.environmentValue(), f.oomEvents(), f.problems(), f.dockerAvailable());
        return new Result(facts, siblingIds(stream.first("siblings")), null);
    }

    /**
     * A counter that only grows while a cgroup lives (its OOM kills; its peak, which only a write to it resets)
     * and that is now lower than before: the container was restarted under the same id (a new cgroup) or the
     * counter reset, so the refresh's numbers must not be read as the old container's. Null when none went back.
     */
    private static String wentBackwards(CgroupMemory old, CgroupMemory fresh) {
        if (old.oomKills() != null && fresh.oomKills() != null && fresh.oomKills() < old.oomKills()) {
            return "OOM kills " + old.oomKills() + " -> " + fresh.oomKills();
        }
        if (old.peakBytes() != null && fresh.peakBytes() != null && fresh.peakBytes() < old.peakBytes()) {
            return "peak " + old.peakBytes() + " -> " + fresh.peakBytes() + " bytes";
        }
        return null;
    }

    /** The directory the script read ({@code --- dir vN DIR}), which names its memory.stat in the grep block. */
    private static String readDirectory(String content, String fallback) {
        for (String line : content.split("\n", 8)) {
            if (line.startsWith("--- dir v") && line.length() > 11) {
                return line.substring(11);
            }
        }
        return fallback;
    }

    /** The refresh reads no v1 CPU files (another hierarchy): those stay as the full probe read them. */
    private static CgroupMemory merged(CgroupMemory old, CgroupMemory fresh) {
        Map<String, String> raw = new HashMap<>(old.rawFiles());
        raw.putAll(fresh.rawFiles());
        boolean keepCpu = fresh.version() == 1 && fresh.cpuQuotaMicros() == null && fresh.cpuPeriodMicros() == null;
        return new CgroupMemory(fresh.version(), old.directory(), fresh.hardLimitBytes(), fresh.softLimitBytes(),
                fresh.highBytes(), fresh.lowBytes(), fresh.usageBytes(), fresh.peakBytes(), fresh.inactiveFileBytes(),
                fresh.oomKills(), keepCpu ? old.cpuQuotaMicros() : fresh.cpuQuotaMicros(),
                keepCpu ? old.cpuPeriodMicros() : fresh.cpuPeriodMicros(), raw);
    }

    /**
     * The {@code grep -H} block: /proc/meminfo's lines and each memory.stat's (total_)inactive_file line,
     * by file. A line is {@code FILE:TEXT}; the files are the ones Headroom named, so each line is split
     * at the first {@code :} after a known file name ({@code /proc/meminfo} or a path ending in
     * {@code /memory.stat}; cgroup paths may hold colons themselves).
     */
    private static Map<String, StringBuilder> grepped(ProbeSection s) {
        Map<String, StringBuilder> files = new HashMap<>();
        if (s == null || !s.ok()) {
            return files;
        }
        for (String line : s.content().split("\n")) {
            int at = line.startsWith("/proc/meminfo:") ? "/proc/meminfo".length() : line.indexOf("/memory.stat:");
            if (at < 0) {
                continue;
            }
            int end = line.startsWith("/proc/meminfo:") ? at : at + "/memory.stat".length();
            files.computeIfAbsent(line.substring(0, end), k -> new StringBuilder()).append(line, end + 1, line.length()).append('\n');
        }
        return files;
    }

    private static Set<String> siblingIds(ProbeSection s) {
        Set<String> ids = new LinkedHashSet<>();
        if (s != null && s.ok()) {
            Matcher m = ID.matcher(s.content());
            while (m.find()) {
                ids.add(m.group());
            }
        }
        return Set.copyOf(ids);
    }
}
