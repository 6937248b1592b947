package io.headroom.cli;

import io.headroom.engine.HeadroomVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code headroom version}: the same line as {@code --version} (kept for scripts that used it). */
@Command(name = "version", hidden = true, description = "Print the version.")
final class VersionCommand implements Callable<Integer> {
    @ParentCommand
    HeadroomCommand parent;

    @Override
    public Integer call() {
        parent.context.out.println("headroom " + HeadroomVersion.get());
        return ExitCode.HEALTHY;
    }
}
