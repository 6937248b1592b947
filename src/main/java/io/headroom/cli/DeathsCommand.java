package io.headroom.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.headroom.engine.DeathService;
import io.headroom.engine.HeadroomVersion;
import io.headroom.engine.ScanEngine;
import io.headroom.engine.ScanListener;
import io.headroom.engine.ScanOptions;
import io.headroom.engine.TransportRunners;
import io.headroom.model.Bytes;
import io.headroom.model.DaskLogEvent;
import io.headroom.model.DeathTimeline;
import io.headroom.model.HostReport;
import io.headroom.model.ScanReport;
import io.headroom.model.WorkerDeath;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code headroom deaths}: which worker died, when, why, and the fix (issue 20). */
@Command(name = "deaths", mixinStandardHelpOptions = true, versionProvider = HeadroomCommand.Version.class,
        header = "Why did my worker die? Each Dask worker death with its cause, its evidence and the fix.",
        description = "Scans each TARGET, then reads its kernel log, its engine's container states and its Dask"
                + " containers' logs since --since (bounded, on demand, secrets masked) and joins them into deaths:"
                + " KERNEL_OOM_CONTAINER, KERNEL_OOM_HOST, DASK_NANNY_RESTART, KILLED_BY_SIGNAL, CONTAINER_EXITED,"
                + " uncertain ones with why. Exit code: 0 no deaths, 1 deaths found, 2 usage error, 3 a target could"
                + " not be read.")
final class DeathsCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @ParentCommand
    HeadroomCommand parent;

    @Mixin
    FleetOptions fleet;

    @Option(names = "--since", paramLabel = "DURATION", converter = Converters.Since.class, defaultValue = "24h",
            description = "How far back to look: 24h (default), 90m, 7d, 3600s.")
    Duration since;

    @Option(names = "--json", description = "Print one JSON document instead of text.")
    boolean json;

    @Override
    public Integer call() {
        CliContext cx = parent.context;
        FleetOptions.Resolved r = fleet.resolve();
        ScanOptions options = r.scanOptions(fleet);
        Instant from = Instant.now().minus(since);
        boolean unreachable = false;
        List<DeathTimeline> timelines = new ArrayList<>();
        try (TransportRunners runners = fleet.runners(r)) {
            ScanEngine engine = cx.engine != null ? cx.engine : new ScanEngine(runners, HeadroomVersion.get());
            ScanReport report = engine.scan(r.targets(), options, new ScanListener() {
            });
            for (String target : r.targets()) {
                HostReport h = report.hosts().stream().filter(x -> x.target().equals(target)).findFirst().orElse(null);
                try {
                    timelines.add(DeathService.timeline(runners, target, h != null && h.scanned() ? h : null,
                            from, runners.sudoMode(target).name().toLowerCase(Locale.ROOT)));
                } catch (DeathService.Unreachable e) {
                    cx.error(e.getMessage());
                    unreachable = true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cx.error("deaths interrupted");
            return ExitCode.UNREACHABLE;
        }
        cx.out.print(json ? json(timelines, from) : text(timelines, from));
        cx.out.flush();
        if (unreachable) {
            return ExitCode.UNREACHABLE;
        }
        return timelines.stream().anyMatch(t -> !t.deaths().isEmpty()) ? ExitCode.FINDINGS : ExitCode.HEALTHY;
    }

    static String text(List<DeathTimeline> timelines, Instant from) {
        StringBuilder b = new StringBuilder();
        for (DeathTimeline t : timelines) {
            b.append(t.host()).append(": ").append(t.deaths().size()).append(t.deaths().size() == 1 ? " death" : " deaths")
                    .append(" since ").append(from).append('\n');
            for (WorkerDeath d : t.deaths()) {
                b.append("  ").append(d.time() == null ? "(no time)" : d.time()).append("  ").append(d.cause())
                        .append("  ").append(d.container() == null ? "(unknown container)" : d.container());
                if (d.workerAddress() != null) {
                    b.append("  worker ").append(d.workerAddress());
                }
                if (d.workerPid() != null) {
                    b.append("  pid ").append(d.workerPid()).append(" in the container");
                }
                if (d.hostPid() != null) {
                    b.append("  pid ").append(d.hostPid()).append(" on the host");
                }
                b.append('\n');
                if (d.limitBytes() != null || d.budgetBytes() != null) {
                    b.append("    limit ").append(Bytes.human(d.limitBytes())).append(", Dask's budget ")
                            .append(Bytes.human(d.budgetBytes())).append('\n');
                }
                if (d.isUncertain()) {
                    b.append("    UNCERTAIN: ").append(d.uncertain()).append('\n');
                }
                for (String line : d.evidence()) {
                    b.append("    | ").append(line).append('\n');
                }
                b.append("    fix: ").append(d.fix()).append('\n');
            }
            for (DeathTimeline.PoisonTask p : t.poison()) {
                b.append("  poison task ").append(p.key()).append(": the scheduler gave up after ").append(p.deaths().size())
                        .append(p.deaths().size() == 1 ? " death" : " deaths").append('\n');
            }
            for (DaskLogEvent w : t.warnings()) {
                b.append("  ").append(w.time() == null ? "(no time)" : w.time()).append("  ").append(w.kind())
                        .append("  ").append(w.line()).append('\n');
            }
            for (String p : t.problems()) {
                b.append("  not read: ").append(p).append('\n');
            }
        }
        return b.toString();
    }

    static String json(List<DeathTimeline> timelines, Instant from) {
        List<Object> hosts = new ArrayList<>();
        for (DeathTimeline t : timelines) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("host", t.host());
            List<Object> deaths = new ArrayList<>();
            for (WorkerDeath d : t.deaths()) {
                deaths.add(death(d));
            }
            h.put("deaths", deaths);
            List<Object> poison = new ArrayList<>();
            for (DeathTimeline.PoisonTask p : t.poison()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("key", p.key());
                m.put("allowedFailures", p.allowedFailures());
                m.put("line", p.line());
                m.put("deaths", p.deaths().stream().map(DeathsCommand::death).toList());
                poison.add(m);
            }
            h.put("poisonTasks", poison);
            h.put("warnings", t.warnings().stream().map(w -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("time", w.time() == null ? null : w.time().toString());
                m.put("kind", w.kind().name());
                m.put("containerId", w.containerId());
                m.put("line", w.line());
                return m;
            }).toList());
            h.put("problems", t.problems());
            hosts.add(h);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("since", from.toString());
        root.put("hosts", hosts);
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> death(WorkerDeath d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", d.time() == null ? null : d.time().toString());
        m.put("cause", d.cause().name());
        m.put("uncertain", d.uncertain());
        m.put("containerId", d.containerId());
        m.put("container", d.container());
        m.put("service", d.service());
        m.put("workerAddress", d.workerAddress());
        m.put("hostPid", d.hostPid());
        m.put("workerPid", d.workerPid());
        m.put("limitBytes", d.limitBytes());
        m.put("budgetBytes", d.budgetBytes());
        m.put("fix", d.fix());
        m.put("evidence", d.evidence());
        return m;
    }
}
