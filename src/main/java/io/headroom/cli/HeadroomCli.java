package io.headroom.cli;

import io.headroom.analysis.dask.DaskByteSize;
import io.headroom.engine.HeadroomVersion;
import io.headroom.engine.ReportJson;
import io.headroom.engine.ScanEngine;
import io.headroom.engine.ScanListener;
import io.headroom.engine.ScanOptions;
import io.headroom.model.ScanReport;

import io.headroom.engine.TransportRunners;
import io.headroom.ssh.Prompter;
import io.headroom.ssh.SshProbeRunner;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code headroom [--version] scan [--json] [--reserve SIZE] [--timeout SECONDS] [TARGET...]}. */
public final class HeadroomCli {
    private final PrintStream out;
    private final PrintStream err;
    private final ScanEngine engine;

    /** @param engine the engine to use, or null for the real transports (local and SSH) */
    public HeadroomCli(PrintStream out, PrintStream err, ScanEngine engine) {
        this.out = out;
        this.err = err;
        this.engine = engine;
    }

    /** The process entry point for CLI use. */
    public static void main(String[] args) {
        int code = new HeadroomCli(System.out, System.err, null).run(args);
        System.out.flush();
        System.exit(code);
    }

    static final String USAGE = """
            Usage: headroom --version
                   headroom scan [options] [TARGET...]
            TARGET is 'local' (this machine, the default), [user@]host[:port] or an alias from ~/.ssh/config.
              --json                 print one JSON document instead of a table
              --reserve SIZE         memory kept for the OS and agents (e.g. 512MiB, 1GiB, or bytes); default 5% of MemTotal
              --timeout SECS         give up on a target's probe after this long (default 60)
              --connect-timeout SECS SSH connect timeout when ~/.ssh/config sets none (default 10)
              --parallel N           targets scanned at once (default 16)
              --accept-new           accept and remember unknown host keys (like StrictHostKeyChecking=accept-new);
                                     a changed host key is always refused
              --sudo auto|never|always  use 'sudo -n docker' on the VMs when plain docker is refused (default auto)
              --ssh-config FILE      use this ssh config instead of ~/.ssh/config (ssh -F)
              --watch SECS           scan again every SECS seconds on warm connections until interrupted
            Exit codes: 0 healthy, 1 warning or critical findings, 2 usage error, 3 a target could not be scanned.
            """;

    public int run(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            (args.length == 0 ? err : out).print(USAGE);
            return args.length == 0 ? ExitCode.USAGE : ExitCode.HEALTHY;
        }
        if (args[0].equals("--version") || args[0].equals("version")) {
            out.println("headroom " + HeadroomVersion.get());
            return ExitCode.HEALTHY;
        }
        if (!args[0].equals("scan")) {
            err.println("headroom: unknown command '" + args[0] + "'");
            err.print(USAGE);
            return ExitCode.USAGE;
        }
        boolean json = false;
        boolean acceptNew = false;
        Long reserve = null;
        Duration timeout = ScanOptions.DEFAULTS.timeout();
        Duration connectTimeout = TransportRunners.Options.DEFAULTS.connectTimeout();
        int parallel = ScanOptions.DEFAULTS.parallelism();
        SshProbeRunner.SudoMode sudo = SshProbeRunner.SudoMode.AUTO;
        Path sshConfig = null;
        Integer watch = null;
        List<String> targets = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--json" -> json = true;
                case "--reserve" -> {
                    if (i + 1 >= args.length) {
                        return usage("--reserve needs a size, e.g. --reserve 1GiB");
                    }
                    DaskByteSize.Parsed p = DaskByteSize.parse(args[++i]);
                    if (!p.ok() || p.bytes() == null || p.bytes() < 0) {
                        return usage("--reserve: cannot read '" + args[i] + "' as a size (" + p.error() + ")");
                    }
                    reserve = p.bytes();
                }
                case "--timeout", "--connect-timeout", "--parallel", "--watch" -> {
                    if (i + 1 >= args.length) {
                        return usage(a + " needs a whole number");
                    }
                    int n;
                    try {
                        n = Integer.parseInt(args[++i]);
                    } catch (NumberFormatException e) {
                        return usage(a + ": '" + args[i] + "' is not a whole number");
                    }
                    if (n <= 0) {
                        return usage(a + " must be positive");
                    }
                    switch (a) {
                        case "--timeout" -> timeout = Duration.ofSeconds(n);
                        case "--connect-timeout" -> connectTimeout = Duration.ofSeconds(n);
                        case "--parallel" -> parallel = n;
                        default -> watch = n;
                    }
                }
                case "--accept-new" -> acceptNew = true;
                case "--sudo" -> {
                    if (i + 1 >= args.length) {
                        return usage("--sudo needs auto, never or always");
                    }
                    try {
                        sudo = SshProbeRunner.SudoMode.valueOf(args[++i].toUpperCase(java.util.Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        return usage("--sudo: '" + args[i] + "' is not auto, never or always");
                    }
                }
                case "--ssh-config" -> {
                    if (i + 1 >= args.length) {
                        return usage("--ssh-config needs a file");
                    }
                    sshConfig = Path.of(args[++i]);
                    if (!Files.isReadable(sshConfig)) {
                        return usage("--ssh-config: cannot read " + sshConfig);
                    }
                }
                default -> {
                    if (a.startsWith("-")) {
                        return usage("unknown option '" + a + "'");
                    }
                    targets.add(a);
                }
            }
        }
        if (targets.isEmpty()) {
            targets.add(ScanEngine.LOCAL);
        }
        for (String t : targets) {
            if (!t.equals(ScanEngine.LOCAL)) {
                try {
                    io.headroom.ssh.SshTarget.parse(t);
                } catch (IllegalArgumentException e) {
                    return usage(e.getMessage());
                }
            }
        }
        ScanOptions options = new ScanOptions(reserve, timeout, parallel);
        Prompter prompter = ConsolePrompter.system();
        if (acceptNew) {
            prompter = Prompter.acceptNew(prompter);
        }
        try (TransportRunners runners = new TransportRunners(prompter,
                new TransportRunners.Options(sshConfig, connectTimeout, sudo))) {
            ScanEngine scanEngine = engine != null ? engine : new ScanEngine(runners, HeadroomVersion.get());
            if (watch == null) {
                return scanOnce(scanEngine, targets, options, json);
            }
            while (true) {
                int code = scanOnce(scanEngine, targets, options, json);
                if (code == ExitCode.USAGE) {
                    return code;
                }
                Thread.sleep(watch * 1000L);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("headroom: scan interrupted");
            return ExitCode.UNREACHABLE;
        }
    }

    private int scanOnce(ScanEngine scanEngine, List<String> targets, ScanOptions options, boolean json)
            throws InterruptedException {
        ScanReport report;
        {
            final boolean quiet = json;
            report = scanEngine.scan(targets, options, new ScanListener() {
                @Override
                public void finished(io.headroom.model.HostReport r) {
                    if (!r.scanned()) {
                        r.errors().forEach(e -> err.println("headroom: " + e));
                    } else if (!quiet && targets.size() > 1) {
                        err.println("scanned " + r.target() + " in " + r.scanMillis() + " ms");
                    }
                }
            });
        }
        out.print(json ? ReportJson.write(report) + "\n" : TableRenderer.render(report));
        out.flush();
        return ExitCode.of(report);
    }

    private int usage(String message) {
        err.println("headroom: " + message);
        err.print(USAGE);
        return ExitCode.USAGE;
    }
}
