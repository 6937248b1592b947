package io.headroom.cli;

import io.headroom.analysis.dask.DaskByteSize;
import io.headroom.compose.BootSnippets;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code headroom boot-snippet --env-file PATH [--reserve SIZE] [--project NAME] [--file F]...
 * [--script | --unit | --compose-unit] [--before UNIT]...}: the boot-time half of env mode
 * ({@link BootSnippets}): the script that writes MemAvailable into .env, the unit that runs it before
 * docker, and the unit that has compose recreate the project's containers after docker started.
 * Without a file option it prints all three with install instructions; with one, only that file's
 * text, so that it can be redirected into place (the lab's v2 boot test installs it that way).
 * The project defaults to the .env's directory name as compose normalises it.
 */
final class BootSnippetCommand {
    static final String USAGE = "       headroom boot-snippet --env-file PATH [--reserve SIZE] [--project NAME] [--file F]..."
            + " [--script | --unit | --compose-unit]";

    private BootSnippetCommand() {
    }

    /** @return 0 printed, 2 bad arguments */
    static int run(String[] args, PrintStream out, PrintStream err) {
        String envFile = null;
        long reserve = 0;
        String only = null;
        List<String> before = new ArrayList<>();
        List<String> files = new ArrayList<>();
        String project = null;
        for (int i = 1; i < args.length; i++) {
            String opt = args[i];
            switch (opt) {
                case "--script", "--unit", "--compose-unit" -> {
                    if (only != null && !only.equals(opt)) {
                        return usage(err, "--script, --unit and --compose-unit print one file each; give one of them");
                    }
                    only = opt;
                }
                case "--env-file", "--reserve", "--before", "--project", "--file" -> {
                    if (i + 1 >= args.length) {
                        return usage(err, opt + " needs a value");
                    }
                    String v = args[++i];
                    switch (opt) {
                        case "--env-file" -> envFile = v;
                        case "--before" -> before.add(v);
                        case "--project" -> project = v;
                        case "--file" -> files.add(v);
                        default -> {
                            DaskByteSize.Parsed p = DaskByteSize.parse(v);
                            if (!p.ok() || p.bytes() == null || p.bytes() < 0) {
                                return usage(err, "--reserve: cannot read '" + v + "' as a size (" + p.error() + ")");
                            }
                            reserve = p.bytes();
                        }
                    }
                }
                default -> {
                    return usage(err, "unexpected argument '" + opt + "'");
                }
            }
        }
        if (envFile == null || !envFile.startsWith("/")) {
            return usage(err, "boot-snippet needs --env-file with the absolute path of the compose project's .env on the VM");
        }
        if (before.isEmpty()) {
            before.add("docker.service");
        }
        String dir = envFile.substring(0, Math.max(1, envFile.lastIndexOf('/')));
        if (project == null) {
            // compose's default project name: the directory's name, lower case, only [a-z0-9_-]
            project = dir.substring(dir.lastIndexOf('/') + 1).toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_-]", "");
        }
        String script;
        String unit;
        String composeUnit;
        try {
            script = BootSnippets.shScript(envFile, reserve);
            unit = BootSnippets.systemdUnit(BootSnippets.DEFAULT_SCRIPT_PATH, envFile, reserve, before);
            composeUnit = BootSnippets.composeUnit(dir, project, files);
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        }
        switch (only == null ? "" : only) {
            case "--script" -> out.print(script);
            case "--unit" -> out.print(unit);
            case "--compose-unit" -> out.print(composeUnit);
            default -> {
                out.println("# 1. " + BootSnippets.DEFAULT_SCRIPT_PATH + " (chmod 755)");
                out.print(script);
                out.println();
                out.println("# 2. /etc/systemd/system/" + BootSnippets.DEFAULT_UNIT_NAME);
                out.print(unit);
                out.println();
                out.println("# 3. /etc/systemd/system/" + BootSnippets.COMPOSE_UNIT_NAME + " (Docker's restart policies"
                        + " restart containers with their old limit: compose must recreate them)");
                out.print(composeUnit);
                out.println();
                out.println("# then: systemctl daemon-reload && systemctl enable " + BootSnippets.DEFAULT_UNIT_NAME + " "
                        + BootSnippets.COMPOSE_UNIT_NAME);
            }
        }
        return ExitCode.HEALTHY;
    }

    private static int usage(PrintStream err, String message) {
        err.println("headroom: " + message);
        err.println(USAGE.strip());
        return ExitCode.USAGE;
    }
}
