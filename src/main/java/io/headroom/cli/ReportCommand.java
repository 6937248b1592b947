package io.headroom.cli;

import io.headroom.engine.Snapshots;
import io.headroom.engine.report.ReportWriter;
import io.headroom.model.ScanReport;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code headroom report [--format md|html] SNAPSHOT.headroom.json -o FILE}: a saved scan as a
 * Markdown or HTML report. Without a display there are no chart pictures; the desktop app's
 * File → Export report… adds them.
 */
final class ReportCommand {
    static final String USAGE = "       headroom report [--format md|html] SNAPSHOT.headroom.json -o FILE   (format from FILE's extension by default)";

    private ReportCommand() {
    }

    /** @return the exit code: 0 written, 2 bad arguments or a snapshot/file that cannot be read/written */
    static int run(String[] args, PrintStream out, PrintStream err) {
        String format = null;
        Path output = null;
        Path snapshot = null;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--format", "-o", "--output" -> {
                    if (i + 1 >= args.length) {
                        return usage(err, args[i] + " needs a value");
                    }
                    if (args[i].equals("--format")) {
                        format = args[++i];
                    } else {
                        output = Path.of(args[++i]);
                    }
                }
                default -> {
                    if (args[i].startsWith("-") || snapshot != null) {
                        return usage(err, "unexpected argument '" + args[i] + "'");
                    }
                    snapshot = Path.of(args[i]);
                }
            }
        }
        if (snapshot == null || output == null) {
            return usage(err, "report needs a snapshot file and -o FILE");
        }
        ReportWriter.Format f;
        try {
            f = format == null ? ReportWriter.Format.ofFile(output) : ReportWriter.Format.of(format);
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        }
        try {
            ScanReport r = Snapshots.read(snapshot);
            List<Path> written = ReportWriter.write(r, "snapshot " + snapshot.toAbsolutePath()
                    + " (report from the command line: no chart pictures; the desktop app's File → Export report… adds them)",
                    Map.of(), f, output);
            out.println("wrote " + written.get(0) + " (" + r.hosts().size() + " host(s))");
            return ExitCode.HEALTHY;
        } catch (IOException | RuntimeException e) {
            err.println("headroom: cannot write the report of " + snapshot + ": " + e.getMessage());
            return ExitCode.USAGE;
        }
    }

    private static int usage(PrintStream err, String message) {
        err.println("headroom: " + message);
        err.println(USAGE.strip());
        return ExitCode.USAGE;
    }
}
