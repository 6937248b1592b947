package io.headroom.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code headroom completion bash|zsh|fish}: a completion script for the shell, generated from the command tree. */
@Command(name = "completion", mixinStandardHelpOptions = true, versionProvider = HeadroomCommand.Version.class,
        header = "Print a shell completion script (bash, zsh or fish).",
        description = {
                "bash: source <(headroom completion bash), or save it as ~/.local/share/bash-completion/completions/headroom"
                        + " (the .deb and .rpm install it for everyone).",
                "zsh: source <(headroom completion zsh) in ~/.zshrc (the script loads bashcompinit).",
                "fish: headroom completion fish > ~/.config/fish/completions/headroom.fish"})
final class CompletionCommand implements Callable<Integer> {
    @ParentCommand
    HeadroomCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", completionCandidates = Shells.class, description = "bash, zsh or fish.")
    String shell;

    /** The shells a script can be printed for. */
    static final class Shells implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("bash", "zsh", "fish").iterator();
        }
    }

    @Override
    public Integer call() {
        CommandSpec root = spec.root();
        String script = switch (shell) {
            // picocli's script runs in zsh too: it loads compinit and bashcompinit there
            case "bash", "zsh" -> AutoComplete.bash(root.name(), root.commandLine());
            case "fish" -> FishCompletion.script(root);
            default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "no completion for '" + shell + "': bash, zsh or fish");
        };
        parent.context.out.print(script);
        return ExitCode.HEALTHY;
    }
}
