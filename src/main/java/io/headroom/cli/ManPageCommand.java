package io.headroom.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.concurrent.Callable;

/** {@code headroom man}: headroom(1) in roff, for the build to install (hidden from help and completion). */
@Command(name = "man", hidden = true, description = "Print the manual page (roff) for packaging.")
final class ManPageCommand implements Callable<Integer> {
    @ParentCommand
    HeadroomCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        parent.context.out.print(ManPage.render(spec.root()));
        return ExitCode.HEALTHY;
    }
}
