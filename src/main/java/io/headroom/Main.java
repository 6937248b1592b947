package io.headroom;

import io.headroom.cli.HeadroomCli;
import io.headroom.cli.VersionLine;
import io.headroom.ui.HeadroomApp;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * One launcher: no arguments opens the window; {@code headroom FILE.headroom.json} (a file
 * association) opens the snapshot in the window; {@code headroom --gui [FILE | --demo]} opens the
 * window explicitly; any other arguments run the CLI ({@code headroom scan …}).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            window(args);
        } else if (args[0].equals(TRAIN)) {
            train(args);
        } else if (args[0].equals("--gui")) {
            window(Arrays.copyOfRange(args, 1, args.length));
        } else if (args.length == 1 && args[0].endsWith(".headroom.json")) {
            window(args);
        } else if (!VersionLine.printIfAsked(args)) {   // --version before picocli loads (issue 15)
            HeadroomCli.main(args);
        }
    }

    /**
     * The installed form's class-archive training runs (installer/build, docs/decisions/0015 and 0030):
     * {@code cli} runs the command line's common paths with their output discarded; {@code gui DIR} runs the
     * window's screenshot tour into DIR; {@code all DIR} both, in one JVM, for the single AppCDS archive
     * of JDK 21–24. A tour alone left picocli and the CLI's classes out of the archive (issue 15,
     * docs/performance.md Round 4).
     */
    private static void train(String[] args) {
        String what = args.length > 1 ? args[1] : "";
        if (what.equals("cli") || what.equals("all")) {
            PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
            for (String[] command : TRAINING_COMMANDS) {
                new HeadroomCli(sink, sink, null).run(command);
            }
        }
        if ((what.equals("gui") || what.equals("all")) && args.length == 3) {
            window(new String[]{"--screenshots", args[2]});
        } else if (!what.equals("cli")) {
            HeadroomCli.cannotOpenWindow("usage: " + TRAIN + " cli | gui SCREENSHOT_DIR | all SCREENSHOT_DIR");
        }
    }

    /** The hidden first word of {@link #train}; not in the CLI's help (a build step, not a user's command). */
    static final String TRAIN = "--train-class-archive";

    /** What a user types most: a scan (JSON and table), help, and a usage error with its hint. */
    static final List<String[]> TRAINING_COMMANDS = List.of(
            new String[]{"scan", "--json", "local"},
            new String[]{"scan", "local"},
            new String[]{"--help"},
            new String[]{"scan", "--help"},
            new String[]{"fix", "--help"},
            new String[]{"scna"});

    /** Opens the window; when it cannot, says why in one sentence and exits 2 (no stack trace). */
    private static void window(String[] args) {
        HeadroomApp.launchApp(args).ifPresent(HeadroomCli::cannotOpenWindow);
    }
}
