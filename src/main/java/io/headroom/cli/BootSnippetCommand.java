package io.headroom.cli;

import io.headroom.compose.BootSnippets;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code headroom boot-snippet --env-file PATH [--reserve SIZE] [--project NAME] [--file F]...
 * [--script | --unit | --compose-unit] [--before UNIT]...}: the boot-time half of env mode
 * ({@link BootSnippets}): the script that writes MemAvailable into .env, the unit that runs it before
 * docker, and the unit that has compose recreate the project's containers after docker started.
 * Without a file option it prints all three with install instructions; with one, only that file's
 * text, so that it can be redirected into place (the lab's v2 boot test installs it that way).
 * The project defaults to the .env's directory name as compose normalises it.
 */
@Command(name = "boot-snippet", mixinStandardHelpOptions = true, versionProvider = HeadroomCommand.Version.class,
        header = "Print the boot script and systemd units that keep AVAILABLE_MEMORY_FOR_DASK current (env mode).",
        description = {
                "Env mode writes mem_limit: $${AVAILABLE_MEMORY_FOR_DASK:-0}. These files write MemAvailable (less --reserve,"
                        + " whole pages) into the project's .env at every boot before docker starts, then have compose"
                        + " recreate the containers with it (docker's restart policies would keep the old limit).",
                "Without --script, --unit or --compose-unit all three are printed with install instructions."})
final class BootSnippetCommand implements Callable<Integer> {
    @ParentCommand
    HeadroomCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--env-file", paramLabel = "PATH", description = "The absolute path of the compose project's .env on the VM.")
    String envFile;

    @Option(names = "--reserve", paramLabel = "SIZE", converter = Converters.Size.class,
            description = "Memory kept for the OS and agents (e.g. 1GiB; default 0).")
    long reserve;

    @Option(names = "--project", paramLabel = "NAME", description = "The compose project (default: the .env's directory name).")
    String project;

    @Option(names = "--file", paramLabel = "FILE", description = "A compose file of the project (-f), repeatable.")
    List<String> files = new ArrayList<>();

    @Option(names = "--before", paramLabel = "UNIT", description = "The unit the script must run before (default docker.service), repeatable.")
    List<String> before = new ArrayList<>();

    @ArgGroup(exclusive = true)
    Only only;

    /** Which one file to print. */
    static final class Only {
        @Option(names = "--script", required = true, description = "Only the script.")
        boolean script;
        @Option(names = "--unit", required = true, description = "Only the unit that runs the script before docker.")
        boolean unit;
        @Option(names = "--compose-unit", required = true, description = "Only the unit that has compose recreate the containers.")
        boolean composeUnit;
    }

    /** @return 0 printed, 2 bad arguments */
    @Override
    public Integer call() {
        CliContext cx = parent.context;
        if (envFile == null || !envFile.startsWith("/")) {
            throw new ParameterException(spec.commandLine(),
                    "boot-snippet needs --env-file with the absolute path of the compose project's .env on the VM");
        }
        List<String> units = before.isEmpty() ? List.of("docker.service") : before;
        String dir = envFile.substring(0, Math.max(1, envFile.lastIndexOf('/')));
        // compose's default project name: the directory's name, lower case, only [a-z0-9_-]
        String name = project != null ? project
                : dir.substring(dir.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "");
        String script;
        String unit;
        String composeUnit;
        try {
            script = BootSnippets.shScript(envFile, reserve);
            unit = BootSnippets.systemdUnit(BootSnippets.DEFAULT_SCRIPT_PATH, envFile, reserve, units);
            composeUnit = BootSnippets.composeUnit(dir, name, files);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (only != null) {
            cx.out.print(only.script ? script : only.unit ? unit : composeUnit);
            return ExitCode.HEALTHY;
        }
        cx.out.println("# 1. " + BootSnippets.DEFAULT_SCRIPT_PATH + " (chmod 755)");
        cx.out.print(script);
        cx.out.println();
        cx.out.println("# 2. /etc/systemd/system/" + BootSnippets.DEFAULT_UNIT_NAME);
        cx.out.print(unit);
        cx.out.println();
        cx.out.println("# 3. /etc/systemd/system/" + BootSnippets.COMPOSE_UNIT_NAME + " (Docker's restart policies"
                + " restart containers with their old limit: compose must recreate them)");
        cx.out.print(composeUnit);
        cx.out.println();
        cx.out.println("# then: systemctl daemon-reload && systemctl enable " + BootSnippets.DEFAULT_UNIT_NAME + " "
                + BootSnippets.COMPOSE_UNIT_NAME);
        return ExitCode.HEALTHY;
    }
}
