package io.headroom.cli;

import io.headroom.engine.HeadroomVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The habits users bring from kubectl, gh and docker (issue 16): --help on every command and
 * {@code headroom help CMD}, --version, usage errors that name the bad word and the nearest good one
 * with exit 2, completion scripts for bash, zsh and fish, and a man page, all from one command tree.
 */
class CommandLineHabitsTest {
    static final List<String> COMMANDS = List.of("scan", "fix", "discover", "clusters", "report", "boot-snippet", "settings", "completion");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return new HeadroomCli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), null)
                .run(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"scan", "fix", "discover", "clusters", "report", "boot-snippet", "settings", "completion"})
    void everyCommandHasHelpInThreeSpellingsThatSayTheSame(String command) {
        assertEquals(ExitCode.HEALTHY, run(command, "--help"), err());
        String help = out();
        assertTrue(help.contains("Usage: headroom " + command + " "), help);
        assertEquals("", err(), "help goes to stdout");
        assertEquals(ExitCode.HEALTHY, run(command, "-h"));
        assertEquals(help, out());
        assertEquals(ExitCode.HEALTHY, run("help", command));
        assertEquals(help, out());
    }

    @Test
    void theTopLevelHelpListsEveryCommandAndTheExitCodes() {
        assertEquals(ExitCode.HEALTHY, run("--help"));
        for (String c : COMMANDS) {
            assertTrue(out().contains("\n  " + c + " "), c + " in " + out());
        }
        assertTrue(out().contains("Exit codes: 0 healthy, 1 warning or critical findings, 2 usage error, 3 a target could not"), out());
        assertFalse(out().contains("\n  man "), "the packaging command stays hidden");
        assertEquals(ExitCode.USAGE, run(), "no command on the CLI path: usage on stderr, exit 2");
        assertTrue(err().contains("Usage: headroom"), err());
    }

    @Test
    void versionInEverySpelling() {
        for (String[] args : new String[][]{{"--version"}, {"-V"}, {"version"}, {"scan", "--version"}}) {
            assertEquals(ExitCode.HEALTHY, run(args));
            assertEquals("headroom " + HeadroomVersion.get() + "\n", out(), String.join(" ", args));
        }
    }

    @Test
    void aMistypedCommandOrOptionIsNamedWithTheNearestGoodOne() {
        assertEquals(ExitCode.USAGE, run("scna"));
        assertEquals("headroom: unknown command 'scna'; did you mean 'scan'?\nTry 'headroom --help' for its options and commands.\n", err());
        assertEquals("", out());
        assertEquals(ExitCode.USAGE, run("scan", "--jsn", "local"));
        assertTrue(err().startsWith("headroom scan: unknown option '--jsn'; did you mean '--json'?\n"), err());
        assertEquals(ExitCode.USAGE, run("fix", "--aply"));
        assertTrue(err().startsWith("headroom fix: unknown option '--aply'; did you mean '--apply'?\n"), err());
        assertEquals(ExitCode.USAGE, run("clusters", "extra"));
        assertTrue(err().startsWith("headroom clusters: unexpected argument 'extra'"), err());
    }

    @Test
    void badValuesAreUsageErrorsThatSayWhy() {
        assertEquals(ExitCode.USAGE, run("scan", "--parallel", "0"));
        assertTrue(err().contains("'--parallel': must be positive, not 0"), err());
        assertEquals(ExitCode.USAGE, run("scan", "--reserve", "lots"));
        assertTrue(err().contains("cannot read 'lots' as a size"), err());
        assertEquals(ExitCode.USAGE, run("scan", "--sudo", "sometimes"));
        assertTrue(err().contains("'sometimes' is not auto, never or always"), err());
        assertEquals(ExitCode.USAGE, run("scan", "--timeout"));
        assertTrue(err().contains("missing required parameter for option '--timeout'"), err());
        assertEquals(ExitCode.USAGE, run("scan", "user@host:notaport"));
        assertEquals(ExitCode.USAGE, run("discover"));
        assertTrue(err().contains("missing required parameter: 'URL'"), err());
        assertEquals(ExitCode.USAGE, run("completion", "tcsh"));
        assertTrue(err().contains("no completion for 'tcsh': bash, zsh or fish"), err());
    }

    @Test
    void bashAndZshCompletionKnowEveryCommandAndTheirOptions() {
        assertEquals(ExitCode.HEALTHY, run("completion", "bash"));
        String bash = out();
        assertTrue(bash.contains("complete -F _complete_headroom") || bash.contains("complete -o default -F _picocli_headroom"), bash);
        for (String c : COMMANDS) {
            assertTrue(bash.contains(c), c);
        }
        assertTrue(bash.contains("--accept-new") && bash.contains("--rollback") && bash.contains("--compose-unit"), "subcommand options");
        assertTrue(bash.contains("auto never always") || bash.contains("\"auto\" \"never\" \"always\"")
                || bash.contains("auto\nnever\nalways") || bash.contains("( auto never always )"), "--sudo words");
        assertFalse(bash.contains("_picocli_headroom_man"), "hidden commands are not offered");
        assertEquals(ExitCode.HEALTHY, run("completion", "zsh"));
        assertTrue(out().contains("bashcompinit"), "the zsh script loads bashcompinit");
    }

    /** The script run by a real bash: what 'headroom WORDS<TAB>' offers. */
    private String bashCompletes(java.nio.file.Path script, String... words) throws Exception {
        String line = "headroom " + String.join(" ", words);
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", ". \"$1\" 2>/dev/null; shift; COMP_WORDS=(\"$@\"); COMP_CWORD=$(( $# - 1 ));"
                + " COMP_LINE=\"$*\"; COMP_POINT=${#COMP_LINE}; _complete_headroom headroom \"${COMP_WORDS[-1]}\" 2>/dev/null;"
                + " echo \"${COMPREPLY[*]}\"", "_", script.toString(), "headroom");
        pb.command().addAll(List.of(words));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String got = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), line + ": " + got);
        return got;
    }

    @Test
    void bashCompletesCommandsOptionsAndValues(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(java.nio.file.Path.of("/bin/bash")), "bash");
        assertEquals(ExitCode.HEALTHY, run("completion", "bash"));
        java.nio.file.Path script = java.nio.file.Files.writeString(dir.resolve("headroom"), out());
        assertEquals("scan", bashCompletes(script, "sc"));
        assertEquals("--accept-new", bashCompletes(script, "scan", "--acc"));
        assertEquals("auto never always", bashCompletes(script, "scan", "--sudo", ""));
        assertEquals("env literal", bashCompletes(script, "fix", "--mode", ""));
        assertEquals("bash zsh fish", bashCompletes(script, "completion", ""));
        assertEquals("--apply", bashCompletes(script, "fix", "--app"));
    }

    @Test
    void fishCompletionHasOneLinePerCommandAndOption() {
        assertEquals(ExitCode.HEALTHY, run("completion", "fish"));
        String fish = out();
        assertTrue(fish.contains("complete -c headroom -n '__fish_use_subcommand' -a scan -d 'Scan VMs: MemAvailable"), fish);
        assertTrue(fish.contains("complete -c headroom -n '__fish_seen_subcommand_from scan' -l sudo -r -a 'auto never always' -d "), fish);
        assertTrue(fish.contains("complete -c headroom -n '__fish_seen_subcommand_from fix' -l mode -r -a 'env literal'"), fish);
        assertTrue(fish.contains("complete -c headroom -n '__fish_seen_subcommand_from report' -s o -l output -r -F"), fish);
        assertTrue(fish.contains("-n '__fish_seen_subcommand_from scan' -a '(__fish_print_hostnames) local'"), fish);
        assertTrue(fish.contains("-d 'Accept and remember unknown host keys (like StrictHostKeyChecking=accept-new); a changed host key is always refused'"), fish);
        assertFalse(fish.contains(" man "), "hidden commands are not offered");
    }

    @Test
    void theManPageIsRoffWithEveryCommandAndOption() {
        assertEquals(ExitCode.HEALTHY, run("man"));
        String man = out();
        assertTrue(man.startsWith(".TH HEADROOM 1 \"\" \"headroom "), man);
        assertTrue(man.contains("\n.SH NAME\nheadroom \\- Memory headroom diagnostics for Dask clusters.\n"), man);
        for (String c : COMMANDS) {
            assertTrue(man.contains("\n.SS \"headroom " + c + "\"\n"), c);
        }
        assertTrue(man.contains("\n.TP\n\\fB\\-\\-reserve\\fR \\fISIZE\\fR\nMemory kept for the OS and agents (e.g. 512MiB, 1GiB, or bytes); default 5% of MemTotal.\n"), man);
        assertTrue(man.contains("mem_limit: ${AVAILABLE_MEMORY_FOR_DASK:\\-0}"), "picocli's ${...} escaped, not interpolated");
        assertTrue(man.contains(".SH EXIT STATUS"), man);
        for (String line : man.split("\n")) {
            assertFalse(line.startsWith("'") || (line.startsWith(".") && !line.matches("\\.(TH|SH|SS|TP|PP|B|BR|br)( .*)?")),
                    "no stray control line: " + line);
        }
    }
}
