package io.headroom;

import io.headroom.cli.HeadroomCli;
import io.headroom.ui.HeadroomApp;

/** One launcher: no arguments opens the window, arguments run the CLI ({@code headroom scan …}). */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            HeadroomApp.launchApp(args);
        } else {
            HeadroomCli.main(args);
        }
    }
}
