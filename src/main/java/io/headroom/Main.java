package io.headroom;

import io.headroom.cli.HeadroomCli;
import io.headroom.engine.HeadroomVersion;
import io.headroom.ui.HeadroomApp;

import java.util.Arrays;

/**
 * One launcher: no arguments opens the window; {@code headroom FILE.headroom.json} (a file
 * association) opens the snapshot in the window; {@code headroom --gui [FILE | --demo]} opens the
 * window explicitly; any other arguments run the CLI ({@code headroom scan …}).
 */
public final class Main {
    /** The words that print the version, as {@code HeadroomCommand} and {@code VersionCommand} define them. */
    static final java.util.Set<String> VERSION_WORDS = java.util.Set.of("--version", "-V", "version");

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            window(args);
        } else if (args[0].equals("--gui")) {
            window(Arrays.copyOfRange(args, 1, args.length));
        } else if (args.length == 1 && args[0].endsWith(".headroom.json")) {
            window(args);
        } else if (args.length == 1 && VERSION_WORDS.contains(args[0])) {
            // answered before picocli reads any annotation: scripts call --version in loops (issue 15)
            System.out.println("headroom " + HeadroomVersion.get());
        } else {
            HeadroomCli.main(args);
        }
    }

    /** Opens the window; when it cannot, says why in one sentence and exits 2 (no stack trace). */
    private static void window(String[] args) {
        HeadroomApp.launchApp(args).ifPresent(HeadroomCli::cannotOpenWindow);
    }
}
