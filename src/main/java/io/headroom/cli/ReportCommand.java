package io.headroom.cli;

import io.headroom.engine.Snapshots;
import io.headroom.engine.report.ReportWriter;
import io.headroom.model.ScanReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code headroom report [--format md|html] SNAPSHOT.headroom.json -o FILE}: a saved scan as a
 * Markdown or HTML report. Without a display there are no chart pictures; the desktop app's
 * File → Export report… adds them.
 */
@Command(name = "report", mixinStandardHelpOptions = true, versionProvider = HeadroomCommand.Version.class,
        header = "Turn a saved scan (.headroom.json) into a Markdown or HTML report.",
        description = "The format follows FILE's extension (.md or .html) unless --format says otherwise. Reports from the"
                + " command line have no chart pictures; the window's File > Export report... adds them. A snapshot saved by"
                + " 'headroom deaths --snapshot FILE' also gives each VM a deaths section (cause, evidence, fix).")
final class ReportCommand implements Callable<Integer> {
    @ParentCommand
    HeadroomCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SNAPSHOT", arity = "0..1", description = "A snapshot saved by the window (File > Save snapshot...).")
    Path snapshot;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "The report to write (.md or .html).")
    Path output;

    @Option(names = "--format", paramLabel = "FORMAT", completionCandidates = Formats.class, description = "md or html.")
    String format;

    /** The completion words of {@code --format}. */
    static final class Formats implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return List.of("md", "html").iterator();
        }
    }

    /** @return 0 written, 2 bad arguments or a snapshot/file that cannot be read/written */
    @Override
    public Integer call() {
        CliContext cx = parent.context;
        if (snapshot == null || output == null) {
            throw new ParameterException(spec.commandLine(), "report needs a snapshot file and -o FILE");
        }
        ReportWriter.Format f;
        try {
            f = format == null ? ReportWriter.Format.ofFile(output) : ReportWriter.Format.of(format);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        try {
            Snapshots.Snapshot snap = Snapshots.readSnapshot(snapshot);
            ScanReport r = snap.report();
            List<Path> written = ReportWriter.write(r, snap.deaths(), "snapshot " + snapshot.toAbsolutePath()
                    + " (report from the command line: no chart pictures; the desktop app's File → Export report… adds them)",
                    Map.of(), f, output);
            cx.out.println("wrote " + written.get(0) + " (" + r.hosts().size() + " host(s)"
                    + (snap.deaths() == null ? "" : ", " + snap.deaths().deathCount() + " death(s)") + ")");
            return ExitCode.HEALTHY;
        } catch (IOException | RuntimeException e) {
            cx.error("cannot write the report of " + snapshot + ": " + e.getMessage());
            return ExitCode.USAGE;
        }
    }
}
