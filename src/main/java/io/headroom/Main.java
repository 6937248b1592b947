package io.headroom;

import io.headroom.cli.HeadroomCli;
import io.headroom.ui.HeadroomApp;

import java.util.Arrays;

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
            HeadroomApp.launchApp(args);
        } else if (args[0].equals("--gui")) {
            HeadroomApp.launchApp(Arrays.copyOfRange(args, 1, args.length));
        } else if (args.length == 1 && args[0].endsWith(".headroom.json")) {
            HeadroomApp.launchApp(args);
        } else {
            HeadroomCli.main(args);
        }
    }
}
