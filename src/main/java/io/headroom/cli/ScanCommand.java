package io.headroom.cli;

import io.headroom.engine.HeadroomVersion;
import io.headroom.engine.Redactor;
import io.headroom.engine.ReportJson;
import io.headroom.engine.ScanEngine;
import io.headroom.engine.ScanListener;
import io.headroom.engine.ScanOptions;
import io.headroom.engine.Snapshots;
import io.headroom.engine.TransportRunners;
import io.headroom.engine.inventory.GroundTruth;
import io.headroom.engine.inventory.SchedulerDiscovery;
import io.headroom.model.HostReport;
import io.headroom.model.ScanReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code headroom scan [options] [TARGET...]}: the table (or JSON) of every target's memory facts and findings. */
@Command(name = "scan", mixinStandardHelpOptions = true, versionProvider = HeadroomCommand.Version.class,
        header = "Scan VMs: MemAvailable against each Dask container's limit and Dask's budget, with findings.",
        description = "Connects to each TARGET (in parallel, over SSH with OpenSSH's configuration) and prints, per VM,"
                + " the memory it can give, each Dask container's cgroup limit, Dask's budget and thresholds, and what"
                + " will go wrong in plain words. Exit code: 0 healthy, 1 findings, 2 usage error, 3 a target could not"
                + " be scanned.")
final class ScanCommand implements Callable<Integer> {
    @ParentCommand
    HeadroomCommand parent;

    @Mixin
    FleetOptions fleet;

    @Option(names = "--json", description = "Print one JSON document instead of a table.")
    boolean json;

    @Option(names = "--redact",
            description = "Replace host names, IP addresses and users with stable pseudonyms (host-1, ip-1, user-1) in"
                    + " everything printed and saved, for sharing.")
    boolean redact;

    @Option(names = "--snapshot", paramLabel = "FILE",
            description = "Also save the scan as a snapshot (NAME.headroom.json, mode 0600) that 'headroom report' and the window"
                    + " open; with --redact, redacted.")
    java.nio.file.Path snapshot;

    @Option(names = "--watch", paramLabel = "SECS", converter = Converters.PositiveInt.class,
            description = "Scan again every SECS seconds on warm connections until interrupted.")
    Integer watch;

    @Override
    public Integer call() {
        CliContext cx = parent.context;
        FleetOptions.Resolved r = fleet.resolve();
        ScanOptions options = r.scanOptions(fleet);
        try (TransportRunners runners = fleet.runners(r)) {
            ScanEngine engine = cx.engine != null ? cx.engine : new ScanEngine(runners, HeadroomVersion.get());
            if (watch == null) {
                // a one-off scan reuses no connection once its host is done: keeping all (sshj's 256 KiB buffer and
                // two threads each) took 697 MiB at 1000 targets (docs/decisions/0034-window-at-1000-targets.md)
                engine.keepWarm(options.parallelism());
            }
            while (true) {
                int code = scanOnce(cx, engine, r.targets(), options, r.scheduler());
                if (watch == null) {
                    return code;
                }
                Thread.sleep(watch * 1000L);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cx.error("scan interrupted");
            return ExitCode.UNREACHABLE;
        }
    }

    private int scanOnce(CliContext cx, ScanEngine engine, List<String> targets, ScanOptions options, String scheduler)
            throws InterruptedException {
        ScanReport report = engine.scan(targets, options, new ScanListener() {
            @Override
            public void finished(HostReport h) {
                if (!h.scanned()) {
                    h.errors().forEach(e -> cx.error(redact ? Redactor.redactText(e, targets) : e));
                } else if (!json && targets.size() > 1) {
                    cx.err.println("scanned " + (redact ? Redactor.redactText(h.target(), targets) : h.target()) + " in "
                            + h.scanMillis() + " ms");
                }
            }
        });
        if (scheduler != null) {
            try {
                SchedulerDiscovery.Result truth = SchedulerDiscovery.discover(scheduler, Duration.ofSeconds(10));
                List<HostReport> hosts = report.hosts().stream().map(h -> GroundTruth.attach(h, truth)).toList();
                report = new ScanReport(report.headroomVersion(), report.startedEpochMillis(), hosts);
            } catch (IOException e) {
                cx.error("scheduler " + scheduler + ": " + e.getMessage() + " (predictions not compared)");
            }
        }
        if (redact) {
            report = Redactor.redact(report);
        }
        cx.out.print(json ? ReportJson.write(report) + "\n" : TableRenderer.render(report));
        cx.out.flush();
        if (snapshot != null) {
            try {
                Snapshots.write(report, snapshot);
                cx.error("snapshot saved to " + snapshot + (redact ? " (redacted)" : ""));
            } catch (IOException e) {
                cx.error("cannot save the snapshot " + snapshot + ": " + e.getMessage());
                return ExitCode.USAGE;
            }
        }
        return ExitCode.of(report);
    }
}
