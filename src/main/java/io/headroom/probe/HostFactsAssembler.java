package io.headroom.probe;

import io.headroom.model.CgroupMemory;
import io.headroom.model.CgroupMode;
import io.headroom.model.ComposeFile;
import io.headroom.model.ContainerFacts;
import io.headroom.model.DaskView;
import io.headroom.model.HostFacts;
import io.headroom.model.MemInfo;
import io.headroom.model.OomEvent;
import io.headroom.model.ProcessFacts;
import io.headroom.model.SectionProblem;
import io.headroom.probe.parse.CgroupSectionParser;
import io.headroom.probe.parse.ComposeSectionParser;
import io.headroom.probe.parse.DockerInspectParser;
import io.headroom.probe.parse.DotEnvParser;
import io.headroom.probe.parse.KernelOomParser;
import io.headroom.probe.parse.KeyValueParser;
import io.headroom.probe.parse.MemInfoParser;
import io.headroom.probe.parse.MountInfoParser;
import io.headroom.probe.parse.ProbeSection;
import io.headroom.probe.parse.ProbeStream;
import io.headroom.probe.parse.ProcessSectionParser;
import io.headroom.probe.parse.UnreadableSectionException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns a parsed probe stream into {@link HostFacts}. Every section that is unavailable, truncated
 * or unreadable becomes a {@link SectionProblem}; nothing throws on malformed remote output.
 */
public final class HostFactsAssembler {
    private HostFactsAssembler() {
    }

    public static HostFacts assemble(String target, ProbeStream stream) {
        List<SectionProblem> problems = new ArrayList<>();
        if (!stream.complete()) {
            problems.add(new SectionProblem("probe", "-", SectionProblem.Kind.TRUNCATED,
                    "it ended before its last line (the connection dropped, or the probe was stopped)"));
        }
        Map<String, String> meta = section(stream.first("meta"), KeyValueParser::parse, problems);
        if (meta == null) {
            meta = Map.of();
        }
        MemInfo memInfo = section(stream.first("meminfo"), MemInfoParser::parse, problems);
        CgroupMode mode = section(stream.first("mountinfo"), MountInfoParser::cgroupMode, problems);
        String etcEnv = section(stream.first("etc-environment"), DotEnvParser::availableMemoryForDask, problems);
        List<OomEvent> ooms = section(stream.first("kernel-oom"), KernelOomParser::parse, problems);

        ProbeSection ps = stream.first("docker-ps");
        boolean docker = ps != null && ps.ok();
        if (ps != null && !ps.ok()) {
            problems.add(problem(ps));
        }
        Map<String, Map<String, String>> env = section(stream.first("docker-env"), DockerInspectParser::parseEnv, problems);
        List<ContainerFacts> containers = new ArrayList<>();
        ProbeSection inspect = stream.first("docker-inspect");
        if (inspect != null) {
            if (!inspect.ok()) {
                problems.add(problem(inspect));
            }
            if (inspect.ok() || inspect.status() == ProbeSection.Status.TRUNCATED) {
                DockerInspectParser.Result r = DockerInspectParser.parse(inspect.content(), env == null ? Map.of() : env);
                r.unreadable().forEach(reason -> problems.add(
                        new SectionProblem("docker-inspect", "-", SectionProblem.Kind.UNREADABLE, reason)));
                for (ContainerFacts c : r.containers()) {
                    containers.add(withKernelFacts(c, stream, ooms, problems));
                }
            }
        }

        Map<String, ComposeFile> compose = new LinkedHashMap<>();
        for (ProbeSection s : stream.all("compose-file")) {
            if (s.ok() || s.status() == ProbeSection.Status.TRUNCATED) {
                try {
                    compose.put(s.subject(), ComposeSectionParser.parse(s.subject(), s.content(), !s.ok()));
                } catch (UnreadableSectionException e) {
                    problems.add(new SectionProblem(s.name(), s.subject(), SectionProblem.Kind.UNREADABLE, e.getMessage()));
                }
            }
            if (!s.ok()) {
                problems.add(problem(s));
            }
        }
        Map<String, String> dotEnv = new LinkedHashMap<>();
        for (ProbeSection s : stream.all("dotenv")) {
            if (s.ok()) {
                String v = DotEnvParser.availableMemoryForDask(s.content());
                if (v != null) {
                    dotEnv.put(s.subject(), v);
                }
            }
        }
        String envValue = meta.get("env.AVAILABLE_MEMORY_FOR_DASK");
        if (envValue == null) {
            envValue = etcEnv;
        }
        List<OomEvent> attributed = attribute(ooms == null ? List.of() : ooms, containers);
        return new HostFacts(target,
                parseInt(meta.get("version"), stream.version()),
                parseLong(meta.get("epoch"), 0L),
                meta.getOrDefault("hostname", ""),
                meta.getOrDefault("kernel", ""),
                parseInt(meta.get("cpus"), 0),
                mode == null ? CgroupMode.UNKNOWN : mode,
                memInfo, containers, compose, dotEnv, envValue, attributed, problems, docker);
    }

    private static ContainerFacts withKernelFacts(ContainerFacts c, ProbeStream stream, List<OomEvent> ooms,
                                                  List<SectionProblem> problems) {
        CgroupMemory cg = section(stream.find("container-cgroup", c.id()), CgroupSectionParser::parse, problems);
        List<ProcessFacts> processes = new ArrayList<>();
        String prefix = c.id() + "/";
        for (ProbeSection s : stream.all("process")) {
            if (!s.subject().startsWith(prefix)) {
                continue;
            }
            Integer pid = parsePid(s.subject().substring(prefix.length()));
            if (pid == null) {
                continue;
            }
            if (!s.ok()) {
                problems.add(problem(s));
                continue;
            }
            DaskView view = section(stream.find("dask-view", s.subject()), ProcessSectionParser::parseView, problems);
            try {
                processes.add(ProcessSectionParser.parse(pid, s.content(), view));
            } catch (RuntimeException e) {
                problems.add(new SectionProblem(s.name(), s.subject(), SectionProblem.Kind.UNREADABLE, String.valueOf(e.getMessage())));
            }
        }
        ContainerFacts out = c.with(cg, processes);
        ProbeSection log = stream.find("dask-log", c.id());
        if (log != null && log.ok() && !log.content().isBlank()) {
            out = out.withWorkerDeaths(log.content().lines().map(String::strip).filter(l -> !l.isEmpty()).limit(20).toList());
        }
        return out;
    }

    /** Attributes each OOM line to the container whose id appears in its memory cgroup path. */
    static List<OomEvent> attribute(List<OomEvent> events, List<ContainerFacts> containers) {
        List<OomEvent> out = new ArrayList<>();
        for (OomEvent e : events) {
            String owner = null;
            for (ContainerFacts c : containers) {
                boolean byCgroup = e.memcg() != null && e.memcg().contains(c.id());
                boolean byPid = e.pid() != null && c.processes().stream().anyMatch(p -> p.pid() == e.pid());
                if (byCgroup || byPid) {
                    owner = c.id();
                    break;
                }
            }
            out.add(new OomEvent(e.line(), e.pid(), e.processName(), e.memcg(), owner));
        }
        return out;
    }

    private static <T> T section(ProbeSection s, Function<String, T> parser, List<SectionProblem> problems) {
        if (s == null) {
            return null;
        }
        if (!s.ok()) {
            problems.add(problem(s));
            if (s.status() != ProbeSection.Status.TRUNCATED) {
                return null;
            }
        }
        try {
            return parser.apply(s.content());
        } catch (RuntimeException e) {
            problems.add(new SectionProblem(s.name(), s.subject(), SectionProblem.Kind.UNREADABLE,
                    e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            return null;
        }
    }

    private static SectionProblem problem(ProbeSection s) {
        SectionProblem.Kind kind = switch (s.status()) {
            case TRUNCATED -> SectionProblem.Kind.TRUNCATED;
            case UNTERMINATED -> SectionProblem.Kind.UNREADABLE;
            default -> SectionProblem.Kind.UNAVAILABLE;
        };
        return new SectionProblem(s.name(), s.subject(), kind, s.reason().isEmpty() ? "no reason given" : s.reason());
    }

    private static Integer parsePid(String s) {
        try {
            int v = Integer.parseInt(s);
            return v > 0 ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int parseInt(String s, int fallback) {
        try {
            return s == null ? fallback : Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static long parseLong(String s, long fallback) {
        try {
            return s == null ? fallback : Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
