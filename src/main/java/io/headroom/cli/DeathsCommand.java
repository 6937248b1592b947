package io.headroom.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.headroom.engine.DeathService;
import io.headroom.engine.DeathsJson;
import io.headroom.engine.HeadroomVersion;
import io.headroom.engine.Redactor;
import io.headroom.engine.ScanEngine;
import io.headroom.engine.ScanListener;
import io.headroom.engine.ScanOptions;
import io.headroom.engine.Snapshots;
import io.headroom.engine.TransportRunners;
import io.headroom.model.DaskLogEvent;
import io.headroom.model.DeathReport;
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
import java.util.List;
import java.util.Locale;
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

    @Option(names = "--snapshot", paramLabel = "FILE",
            description = "Also save the scan and its deaths as a snapshot (NAME.headroom.json, mode 0600) that 'headroom report'"
                    + " turns into a report with a deaths section per VM. Evidence lines are secret-masked on the VM; host names"
                    + " and addresses are redacted only with --redact.")
    java.nio.file.Path snapshot;

    @Option(names = "--redact",
            description = "Replace host names, IP addresses and SSH users by stable pseudonyms (host-1, ip-1, user-1) in what is"
                    + " printed and in the --snapshot, for sharing: the same name is the same pseudonym in the scan, the"
                    + " evidence lines, the worker addresses and the fixes.")
    boolean redact;

    @Override
    public Integer call() {
        CliContext cx = parent.context;
        FleetOptions.Resolved r = fleet.resolve();
        ScanOptions options = r.scanOptions(fleet);
        Instant from = Instant.now().minus(since);
        boolean unreachable = false;
        ScanReport scan = null;
        List<DeathTimeline> timelines = new ArrayList<>();
        try (TransportRunners runners = fleet.runners(r)) {
            ScanEngine engine = cx.engine != null ? cx.engine : new ScanEngine(runners, HeadroomVersion.get());
            ScanReport report = engine.scan(r.targets(), options, new ScanListener() {
            });
            scan = report;
            for (String target : r.targets()) {
                HostReport h = report.hosts().stream().filter(x -> x.target().equals(target)).findFirst().orElse(null);
                try {
                    timelines.add(DeathService.timeline(runners, target, h != null && h.scanned() ? h : null,
                            from, runners.sudoMode(target).name().toLowerCase(Locale.ROOT), options.timeout()));
                } catch (DeathService.Unreachable e) {
                    cx.error(redact ? Redactor.redactText(e.getMessage(), r.targets()) : e.getMessage());
                    unreachable = true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cx.error("deaths interrupted");
            return ExitCode.UNREACHABLE;
        }
        DeathReport deaths = new DeathReport(from, Instant.now(), timelines);
        if (redact) {
            Redactor.Redacted red = Redactor.redact(scan, deaths);
            scan = red.scan();
            deaths = red.deaths();
            timelines = deaths.timelines();
        }
        if (snapshot != null) {
            try {
                Snapshots.write(scan, deaths, snapshot);
                cx.error("snapshot saved to " + snapshot + " (the scan and " + deaths.deathCount() + " death(s)"
                        + (redact ? ", redacted" : "") + ";"
                        + " 'headroom report " + snapshot + " -o FILE' shows them)");
            } catch (java.io.IOException e) {
                cx.error("cannot save the snapshot " + snapshot + ": " + e.getMessage());
                return ExitCode.USAGE;
            }
        }
        cx.out.print(json ? json(deaths) : text(timelines, from));
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
                b.append("  ").append(d.headline()).append('\n');
                if (d.figures() != null) {
                    b.append("    ").append(d.figures()).append('\n');
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
            t.bootUnits().forEach(u -> b.append("  boot unit: ").append(u.summary()).append('\n'));
            for (String p : t.problems()) {
                b.append("  not read: ").append(p).append('\n');
            }
        }
        return b.toString();
    }

    static String json(DeathReport report) {
        try {
            return JSON.writeValueAsString(DeathsJson.toNode(report)) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
