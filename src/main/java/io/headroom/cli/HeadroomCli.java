package io.headroom.cli;

import io.headroom.engine.ScanEngine;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * The command line: {@code headroom COMMAND [options]}, one picocli command class per subcommand
 * (docs/decisions/0025-picocli-command-line.md). Usage errors name the bad word, suggest the nearest
 * command or option, and exit 2; exit codes 0–3 and the JSON output are the CLI's contract.
 */
public final class HeadroomCli {
    private final CliContext context;

    /** @param engine the engine to use, or null for the real transports (local and SSH) */
    public HeadroomCli(PrintStream out, PrintStream err, ScanEngine engine) {
        this.context = new CliContext(out, err, engine);
    }

    HeadroomCli withSettings(CliContext.SettingsLoader loader) {
        context.settings = loader;
        return this;
    }

    /** The process entry point for CLI use. */
    public static void main(String[] args) {
        int code = new HeadroomCli(System.out, System.err, null).run(args);
        System.out.flush();
        System.exit(code);
    }

    /** Says why the window could not open ({@code headroom: cannot open the window: …}) and exits 2. */
    public static void cannotOpenWindow(String reason) {
        System.err.println("headroom: " + reason);
        System.err.flush();
        System.exit(ExitCode.USAGE);
    }

    /**
     * The command tree with this CLI's streams and error handling. When the first word names a command
     * (other than help, completion and man, which need them all) only that command is built: picocli
     * reads each command's annotations when it is added, and a scan should start as fast as it did
     * before picocli (docs/decisions/0025).
     */
    CommandLine commandLine(String first) {
        CommandLine cl = new CommandLine(new HeadroomCommand(context));
        boolean one = first != null && HeadroomCommand.SUBCOMMANDS.containsKey(first) && !NEEDS_ALL.contains(first);
        HeadroomCommand.SUBCOMMANDS.forEach((name, command) -> {
            if (!one || name.equals(first)) {
                cl.addSubcommand(name, command.get());
            }
        });
        cl.setOut(new PrintWriter(context.out, true));
        cl.setErr(new PrintWriter(context.err, true));
        cl.setUsageHelpWidth(100);
        cl.setParameterExceptionHandler(this::usageError);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            context.error("unexpected error in '" + cmd.getCommandSpec().qualifiedName() + "': " + e
                    + (System.getenv("HEADROOM_DEBUG") == null ? " (HEADROOM_DEBUG=1 shows where)" : ""));
            if (System.getenv("HEADROOM_DEBUG") != null) {
                e.printStackTrace(context.err);
            }
            return ExitCode.UNREACHABLE;
        });
        return cl;
    }

    private static final java.util.Set<String> NEEDS_ALL = java.util.Set.of("help", "completion", "man");

    public int run(String[] args) {
        CommandLine cl = commandLine(args.length == 0 ? null : args[0]);
        if (args.length == 0) {
            cl.usage(context.err);
            return ExitCode.USAGE;
        }
        return cl.execute(args);
    }

    /**
     * {@code headroom scan: unknown option '--jsn'; did you mean '--json'?} and where to read more, on stderr; exit 2.
     */
    private int usageError(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        String name = cmd.getCommandSpec().qualifiedName(" ");
        context.err.println(name + ": " + describe(ex, cmd));
        context.err.println("Try '" + name + " --help' for its options"
                + (cmd.getCommandSpec().parent() == null ? " and commands." : "."));
        return ExitCode.USAGE;
    }

    static String describe(ParameterException ex, CommandLine cmd) {
        if (ex instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().get(0);
            String what = first.startsWith("-") ? "unknown option '" + first + "'"
                    : cmd.getCommandSpec().parent() == null ? "unknown command '" + first + "'" : "unexpected argument '" + first + "'";
            // picocli orders them nearest first; one good hint reads better than a list
            List<String> near = u.getSuggestions();
            return near.isEmpty() ? what : what + "; did you mean '" + near.get(0) + "'?";
        }
        String m = ex.getMessage();
        return m.isEmpty() ? m : m.substring(0, 1).toLowerCase(Locale.ROOT) + m.substring(1);
    }
}
