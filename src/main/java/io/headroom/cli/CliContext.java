package io.headroom.cli;

import io.headroom.engine.ScanEngine;
import io.headroom.engine.inventory.Settings;

import java.io.IOException;
import java.io.PrintStream;

/**
 * What every command writes to and runs on: the two streams, the scan engine (null: the real local
 * and SSH transports) and where the global settings come from (replaced in tests).
 */
final class CliContext {
    /** Where the global settings come from (the settings file and HEADROOM_READ_ONLY). */
    interface SettingsLoader {
        Settings load() throws IOException;
    }

    final PrintStream out;
    final PrintStream err;
    final ScanEngine engine;
    SettingsLoader settings = Settings::load;

    CliContext(PrintStream out, PrintStream err, ScanEngine engine) {
        this.out = out;
        this.err = err;
        this.engine = engine;
    }

    /** Prints {@code headroom: MESSAGE} on stderr, the prefix every error line of the CLI has. */
    void error(String message) {
        err.println("headroom: " + message);
    }
}
