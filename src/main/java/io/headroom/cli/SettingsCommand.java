package io.headroom.cli;

import io.headroom.engine.inventory.ConfigPaths;
import io.headroom.engine.inventory.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code headroom settings [read-only on|off]}: shows or changes the global settings (today: read-only mode). */
@Command(name = "settings", mixinStandardHelpOptions = true, versionProvider = HeadroomCommand.Version.class,
        header = "Show the settings, or turn read-only mode on or off.",
        description = "Read-only mode (for support staff on customer clusters) refuses every push and rollback, in the"
                + " window and on the command line; HEADROOM_READ_ONLY=1 turns it on for one process.")
final class SettingsCommand implements Callable<Integer> {
    @ParentCommand
    HeadroomCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SETTING", arity = "0..2", description = "Nothing (show), or 'read-only on' / 'read-only off'.")
    List<String> words = new ArrayList<>();

    @Override
    public Integer call() {
        CliContext cx = parent.context;
        boolean change = words.size() == 2 && words.get(0).equals("read-only") && (words.get(1).equals("on") || words.get(1).equals("off"));
        if (!words.isEmpty() && !change) {
            throw new ParameterException(spec.commandLine(), "settings takes nothing, or 'read-only on' / 'read-only off'");
        }
        try {
            if (change) {
                Settings.saveReadOnly(ConfigPaths.settingsFile(), words.get(1).equals("on"));
            }
            Settings s = Settings.load();
            cx.out.println("read-only: " + (s.readOnly() ? "on" : "off") + " (" + s.source() + ")");
            if (!change) {
                cx.out.println("settings file: " + ConfigPaths.settingsFile());
                cx.out.println("audit log: " + ConfigPaths.auditLogFile());
            }
            return ExitCode.HEALTHY;
        } catch (IOException e) {
            cx.error(e.getMessage());
            return ExitCode.USAGE;
        }
    }
}
