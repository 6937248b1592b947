package io.headroom.cli;

import io.headroom.analysis.dask.DaskByteSize;
import io.headroom.engine.ScanEngine;
import io.headroom.engine.ScanOptions;
import io.headroom.engine.TransportRunners;
import io.headroom.engine.inventory.Cluster;
import io.headroom.engine.inventory.Inventory;
import io.headroom.ssh.Prompter;
import io.headroom.ssh.SshProbeRunner;
import io.headroom.ssh.SshTarget;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which VMs to look at and how to reach them: the targets, a cluster of the inventory, and the SSH
 * and scan options that {@code scan} and {@code fix} share.
 */
final class FleetOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Parameters(paramLabel = "TARGET", arity = "0..*",
            description = "'local' (this machine, the default), [user@]host[:port] or an alias from ~/.ssh/config.")
    List<String> targets = new ArrayList<>();

    @Option(names = "--cluster", paramLabel = "NAME",
            description = "Scan the hosts of a cluster from the inventory (with its user, jump host, sudo, reserve and scheduler).")
    String cluster;

    @Mixin
    InventoryOption inventory;

    @Option(names = "--reserve", paramLabel = "SIZE", converter = Converters.Size.class,
            description = "Memory kept for the OS and agents (e.g. 512MiB, 1GiB, or bytes); default 5%% of MemTotal.")
    Long reserve;

    @Option(names = "--timeout", paramLabel = "SECS", converter = Converters.Seconds.class,
            description = "Give up on a target's probe after this long (default 60).")
    Duration timeout = ScanOptions.DEFAULTS.timeout();

    @Option(names = "--connect-timeout", paramLabel = "SECS", converter = Converters.Seconds.class,
            description = "SSH connect timeout when ~/.ssh/config sets none (default 10).")
    Duration connectTimeout = TransportRunners.Options.DEFAULTS.connectTimeout();

    @Option(names = "--parallel", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "Targets scanned at once (default 16).")
    int parallel = ScanOptions.DEFAULTS.parallelism();

    @Option(names = "--accept-new",
            description = "Accept and remember unknown host keys (like StrictHostKeyChecking=accept-new); a changed host key"
                    + " is always refused.")
    boolean acceptNew;

    @Option(names = "--sudo", paramLabel = "MODE", converter = Converters.Sudo.class, completionCandidates = Converters.SudoWords.class,
            description = "auto, never or always: run docker through 'sudo -n' on the VMs when plain docker is refused (default auto).")
    SshProbeRunner.SudoMode sudo = SshProbeRunner.SudoMode.AUTO;

    @Option(names = "--ssh-config", paramLabel = "FILE", converter = Converters.ReadableFile.class,
            description = "Use this ssh config instead of ~/.ssh/config (like ssh -F).")
    Path sshConfig;

    @Option(names = "--scheduler", paramLabel = "URL",
            description = "Compare predictions with what the scheduler at URL (its dashboard, port 8787) says in /json/identity.json.")
    String scheduler;

    /** The targets with their per-target options, the reserve and the scheduler URL, from the arguments and the inventory. */
    record Resolved(List<String> targets, Map<String, TransportRunners.TargetOptions> perTarget, Long reserve, String scheduler) {
        ScanOptions scanOptions(FleetOptions o) {
            return new ScanOptions(reserve, o.timeout, o.parallel);
        }
    }

    Resolved resolve() {
        List<String> all = new ArrayList<>(targets);
        Map<String, TransportRunners.TargetOptions> perTarget = new HashMap<>();
        Long size = reserve;
        String url = scheduler;
        if (cluster != null) {
            Cluster c;
            try {
                c = inventory.load().get(cluster);
            } catch (Inventory.InventoryException e) {
                throw usage(e.getMessage());
            }
            SshProbeRunner.SudoMode clusterSudo = c.sudo() == null ? null : SshProbeRunner.SudoMode.valueOf(c.sudo().toUpperCase(Locale.ROOT));
            for (String t : c.targets()) {
                all.add(t);
                perTarget.put(t, new TransportRunners.TargetOptions(c.jump(), clusterSudo));
            }
            if (size == null && c.reserve() != null) {
                DaskByteSize.Parsed p = DaskByteSize.parse(c.reserve());
                if (!p.ok() || p.bytes() == null) {
                    throw usage("cluster " + c.name() + ": reserve '" + c.reserve() + "' is not a size");
                }
                size = p.bytes();
            }
            if (url == null) {
                url = c.scheduler();
            }
        }
        if (all.isEmpty()) {
            all.add(ScanEngine.LOCAL);
        }
        for (String t : all) {
            if (!t.equals(ScanEngine.LOCAL)) {
                try {
                    SshTarget.parse(t);
                } catch (IllegalArgumentException e) {
                    throw usage(e.getMessage());
                }
            }
        }
        return new Resolved(all, perTarget, size, url);
    }

    /** The transports for these options: local, and SSH with the given host-key prompter. */
    TransportRunners runners(Resolved r) {
        Prompter prompter = ConsolePrompter.system();
        return new TransportRunners(acceptNew ? Prompter.acceptNew(prompter) : prompter,
                new TransportRunners.Options(sshConfig, connectTimeout, sudo), r.perTarget());
    }

    ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
