package io.headroom.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The top of the command tree: {@code headroom [--version | --help] COMMAND …}. Its subcommands are
 * added by {@link HeadroomCli} ({@link #SUBCOMMANDS}): only the one a command line names, so that a
 * scan does not pay for reading every command's annotations.
 */
@Command(name = "headroom",
        mixinStandardHelpOptions = true,
        versionProvider = HeadroomCommand.Version.class,
        header = "Memory headroom diagnostics for Dask clusters.",
        description = {
                "Compares, on every VM of a Dask cluster, MemAvailable with the cgroup memory limit of each Dask"
                        + " container and with Dask's own budget (spill 70%%, pause 80%%, restart 95%%), says in plain"
                        + " words what will go wrong, and writes corrected compose files.",
                "Without arguments the desktop window opens; 'headroom --gui [SNAPSHOT | --demo]' opens it explicitly."},
        footerHeading = "%n",
        footer = {
                "TARGET is 'local' (this machine, the default), [user@]host[:port] or an alias from ~/.ssh/config.",
                "Exit codes: 0 healthy, 1 warning or critical findings, 2 usage error, 3 a target could not be scanned"
                        + " (or, for fix, could not be changed).",
                "Run 'headroom help COMMAND' or 'headroom COMMAND --help' for a command's options."})
final class HeadroomCommand implements Runnable {
    final CliContext context;

    /** Every subcommand, in the order help lists them. */
    static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> m = new LinkedHashMap<>();
        m.put("scan", ScanCommand::new);
        m.put("fix", FixCommand::new);
        m.put("deaths", DeathsCommand::new);
        m.put("discover", DiscoverCommand::new);
        m.put("clusters", ClustersCommand::new);
        m.put("report", ReportCommand::new);
        m.put("boot-snippet", BootSnippetCommand::new);
        m.put("settings", SettingsCommand::new);
        m.put("completion", CompletionCommand::new);
        m.put("man", ManPageCommand::new);
        m.put("version", VersionCommand::new);
        m.put("help", CommandLine.HelpCommand::new);
        return Collections.unmodifiableMap(m);
    }

    HeadroomCommand(CliContext context) {
        this.context = context;
    }

    /** {@code headroom} alone on the CLI path: the usage on stderr (the launcher opens the window instead). */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "a command is needed");
    }

    /** The version line of {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{VersionLine.text()};
        }
    }
}
