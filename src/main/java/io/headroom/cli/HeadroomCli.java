package io.headroom.cli;

import io.headroom.analysis.dask.DaskByteSize;
import io.headroom.engine.HeadroomVersion;
import io.headroom.engine.ReportJson;
import io.headroom.engine.ScanEngine;
import io.headroom.engine.ScanListener;
import io.headroom.engine.ScanOptions;
import io.headroom.model.ScanReport;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code headroom [--version] scan [--json] [--reserve SIZE] [--timeout SECONDS] [TARGET...]}. */
public final class HeadroomCli {
    private final PrintStream out;
    private final PrintStream err;
    private final ScanEngine engine;

    public HeadroomCli(PrintStream out, PrintStream err, ScanEngine engine) {
        this.out = out;
        this.err = err;
        this.engine = engine;
    }

    /** The process entry point for CLI use. */
    public static void main(String[] args) {
        int code = new HeadroomCli(System.out, System.err, ScanEngine.localOnly(HeadroomVersion.get())).run(args);
        System.out.flush();
        System.exit(code);
    }

    static final String USAGE = """
            Usage: headroom --version
                   headroom scan [--json] [--reserve SIZE] [--timeout SECONDS] [TARGET...]
            TARGET defaults to 'local' (this machine).
            --json           print one JSON document instead of a table
            --reserve SIZE   memory kept for the OS and agents (e.g. 512MiB, 1GiB, or bytes); default 5% of MemTotal
            --timeout SECS   give up on a target after this long (default 60)
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
        Long reserve = null;
        Duration timeout = ScanOptions.DEFAULTS.timeout();
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
                    if (!p.ok() || p.bytes() < 0) {
                        return usage("--reserve: cannot read '" + args[i] + "' as a size (" + p.error() + ")");
                    }
                    reserve = p.bytes();
                }
                case "--timeout" -> {
                    if (i + 1 >= args.length) {
                        return usage("--timeout needs a number of seconds");
                    }
                    try {
                        long s = Long.parseLong(args[++i]);
                        if (s <= 0) {
                            return usage("--timeout must be positive");
                        }
                        timeout = Duration.ofSeconds(s);
                    } catch (NumberFormatException e) {
                        return usage("--timeout: '" + args[i] + "' is not a whole number of seconds");
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
        ScanOptions options = new ScanOptions(reserve, timeout, ScanOptions.DEFAULTS.parallelism());
        ScanReport report;
        try {
            final boolean quiet = json;
            report = engine.scan(targets, options, new ScanListener() {
                @Override
                public void finished(io.headroom.model.HostReport r) {
                    if (!r.scanned()) {
                        r.errors().forEach(e -> err.println("headroom: " + e));
                    } else if (!quiet && targets.size() > 1) {
                        err.println("scanned " + r.target() + " in " + r.scanMillis() + " ms");
                    }
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("headroom: scan interrupted");
            return ExitCode.UNREACHABLE;
        }
        out.print(json ? ReportJson.write(report) + "\n" : TableRenderer.render(report));
        return ExitCode.of(report);
    }

    private int usage(String message) {
        err.println("headroom: " + message);
        err.print(USAGE);
        return ExitCode.USAGE;
    }
}
