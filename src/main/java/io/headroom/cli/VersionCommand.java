package io.headroom.cli;

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
        parent.context.out.println(VersionLine.text());
        return ExitCode.HEALTHY;
    }
}
