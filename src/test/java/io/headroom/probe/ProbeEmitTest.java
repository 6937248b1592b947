package io.headroom.probe;

import io.headroom.model.Sha256;
import io.headroom.probe.parse.ComposeSectionParser;
import io.headroom.probe.parse.DotEnvParser;
import io.headroom.probe.parse.ProbeSection;
import io.headroom.probe.parse.ProbeStream;
import io.headroom.probe.parse.ProbeStreamParser;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compose-file, dotenv and dask-log sections are framed by {@code emit_text} / {@code emit_small} (one fork) instead
 * of {@code emit} (five forks and four execs: docs/performance.md Round 13). Whatever a file holds, the section must be
 * the one {@code emit} printed, byte for byte: the compose file's text round-trips (its trailing empty lines count in
 * the hash the parser checks), a text over the cap is cut where it was, a missing file is unavailable for the same
 * reason. Under dash with the system's tools and under busybox sh with busybox's (as on an Alpine or BusyBox VM).
 */
class ProbeEmitTest {
    private static final int CAP = 300;
    /** {@code dotenv_lines} as it was before Round 13: the reference for the awk that replaced it. */
    private static final String DOTENV_GREP = "dotenv_grep() { grep -E \"^[[:space:]]*(export[[:space:]]+)?AVAILABLE_MEMORY_FOR_DASK"
            + "[[:space:]]*=\" -- \"$1\" || true; }\n";

    @TempDir
    Path tmp;

    private String run(String shell, String script) throws IOException, InterruptedException {
        String s = ProbeScript.text();
        String functions = "LC_ALL=C; export LC_ALL; NONCE=n0nce; CAP=" + CAP + "; T='" + tmp.resolve("t") + "'; mkdir -p \"$T\"\n"
                + MaskShell.function(s, "emit") + MaskShell.function(s, "emit_small") + MaskShell.function(s, "emit_text")
                + MaskShell.function(s, "emit_last") + MaskShell.function(s, "end_truncated")
                + MaskShell.function(s, "end_unavailable") + MaskShell.function(s, "compose_text")
                + MaskShell.function(s, "dotenv_lines") + MaskShell.function(s, "dask_log") + DOTENV_GREP;
        if (shell.equals("busybox")) {
            Path bin = MaskShell.busyboxBin(tmp, List.of("sh", "awk", "sha256sum", "head", "tail", "wc", "cat", "grep", "tr", "mkdir"));
            return MaskShell.run(List.of(bin.resolve("sh").toString()), Map.of("PATH", bin.toString()), tmp, functions + script,
                    "AVAILABLE_MEMORY_FOR_DASK=666\n");
        }
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/dash")) || Files.isExecutable(Path.of("/bin/dash")), "no dash");
        return MaskShell.run(List.of("dash"), Map.of(), tmp, functions + script, "AVAILABLE_MEMORY_FOR_DASK=666\n");
    }

    private static ProbeSection section(String out) {
        ProbeStream stream = ProbeStreamParser.parse(out, "n0nce");
        assertEquals(1, stream.sections().size(), out);
        return stream.sections().get(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dash", "busybox"})
    void aComposeFileIsSentAsEmitSentItAndRoundTrips(String shell) throws Exception {
        Map<String, String> texts = Map.ofEntries(
                Map.entry("plain.yml", "services:\n  worker:\n    mem_limit: 4g\n"),
                Map.entry("no-newline.yml", "services:\n  worker:\n    mem_limit: 4g"),
                Map.entry("blank-tail.yml", "services:\n  worker:\n    mem_limit: 4g\n\n\n"),
                Map.entry("blank-head.yml", "\n\nservices: {}\n"),
                Map.entry("empty.yml", ""),
                Map.entry("only-newlines.yml", "\n\n"),
                Map.entry("dot-end.yml", "x: .\n."),
                Map.entry("secret.yml", "services:\n  db:\n    environment:\n      DB_PASSWORD: hunter2\n\n"),
                Map.entry("secret-no-newline.yml", "services:\n  db:\n    environment:\n      DB_PASSWORD: hunter2"),
                Map.entry("big.yml", "services:\n" + "  # padding\n".repeat(40)),
                // the hashes' line (130 bytes) and this: CAP bytes
                Map.entry("at-cap.yml", "x".repeat(CAP - 131) + "\n"),
                Map.entry("newline-over-cap.yml", "x".repeat(CAP - 130) + "\n"));
        for (var e : texts.entrySet()) {
            Files.writeString(tmp.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
        }
        for (String name : new java.util.TreeSet<>(texts.keySet())) {
            String file = tmp.resolve(name).toString();
            String call = " compose-file '" + file + "' compose_text '" + file + "' \"$T/masked\"\n";
            String before = run(shell, "emit" + call);
            String now = run(shell, "emit_text" + call);
            ProbeSection s = section(now);
            if (name.equals("newline-over-cap.yml")) {
                // the one difference: emit called a section of CAP bytes and a newline truncated; it is whole
                assertTrue(before.contains("status=truncated"), before);
                assertTrue(s.ok(), now);
            } else {
                assertEquals(before, now, name + ": the section emit printed");
            }
            var parsed = ComposeSectionParser.parse(file, s.content(), !s.ok());
            assertEquals(Sha256.hex(texts.get(name)), parsed.sha256(), name);
            if (name.startsWith("big.")) {
                assertEquals(ProbeSection.Status.TRUNCATED, s.status(), name);
            } else if (!name.startsWith("secret")) {
                assertTrue(s.ok(), name + " " + s);
                assertEquals(texts.get(name), parsed.content(), name + ": byte for byte");
            } else {
                // the masking awk ends the last line it sends with a newline
                assertEquals(texts.get(name).replace("hunter2", io.headroom.model.Masked.MARKER).replaceAll("([^\n])$", "$1\n"),
                        parsed.content(), name);
            }
        }
        String missing = tmp.resolve("gone.yml").toString();
        String call = " compose-file '" + missing + "' compose_text '" + missing + "' \"$T/masked\"\n";
        String now = run(shell, "emit_text" + call);
        assertEquals(run(shell, "emit" + call), now);
        assertEquals(ProbeSection.Status.UNAVAILABLE, section(now).status());
        assertTrue(section(now).reason().contains("gone.yml"), now);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dash", "busybox"})
    void theDotenvLinesAreTheOnesGrepFound(String shell) throws Exception {
        Map<String, String> texts = Map.of(
                "a.env", "A=1\nAVAILABLE_MEMORY_FOR_DASK=17179869184\nB=2\n",
                "b.env", "  export AVAILABLE_MEMORY_FOR_DASK = 8g\n# AVAILABLE_MEMORY_FOR_DASK=1\nAVAILABLE_MEMORY_FOR_DASKX=3\n",
                "c.env", "SECRET=hunter2\n",
                "d.env", "AVAILABLE_MEMORY_FOR_DASK=1\nAVAILABLE_MEMORY_FOR_DASK=2",
                "e.env", "",
                "f.env", ("AVAILABLE_MEMORY_FOR_DASK=" + "9".repeat(60) + "\n").repeat(5));
        for (var e : texts.entrySet()) {
            Files.writeString(tmp.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
        }
        for (String name : new java.util.TreeSet<>(texts.keySet())) {
            String before = run(shell, "emit dotenv " + name + " dotenv_grep " + name + "\n");
            String now = run(shell, "emit_small dotenv " + name + " dotenv_lines " + name + "\n");
            assertEquals(before, now, name);
        }
        assertEquals("17179869184", DotEnvParser.availableMemoryForDask(section(run(shell, "emit_small dotenv a dotenv_lines a.env\n")).content()));
        assertEquals(ProbeSection.Status.TRUNCATED, section(run(shell, "emit_small dotenv f dotenv_lines f.env\n")).status());

        // a cut that ends on a newline is still truncated (the command substitution drops that newline), at any cap
        String three = "AVAILABLE_MEMORY_FOR_DASK=1g\nAVAILABLE_MEMORY_FOR_DASK=2g\nAVAILABLE_MEMORY_FOR_DASK=64g\n";
        Files.writeString(tmp.resolve("r.env"), three);
        for (int cap = 20; cap < three.length() + 5; cap++) {
            ProbeSection r = section(run(shell, "CAP=" + cap + "; emit_small dotenv r dotenv_lines r.env\n"));
            // whole from the cap that holds the lines without the last newline (emit_small drops it)
            assertTrue(cap >= three.length() - 1 ? r.ok() && r.content().equals(three.strip())
                    : r.status() == ProbeSection.Status.TRUNCATED, "cap " + cap + ": " + r);
        }
        // mawk 1.3.3 (Debian 10, Ubuntu 18.04) reads [[:space:]] as a set of characters and would match nothing
        assertTrue(!MaskShell.function("dotenv_lines").contains("[[:"), "no POSIX character class in dotenv_lines' awk");

        // a working directory from a label may look like an awk assignment: the file is still what is read, never stdin
        Files.createDirectories(tmp.resolve("x=y"));
        Files.writeString(tmp.resolve("x=y/.env"), "AVAILABLE_MEMORY_FOR_DASK=42\n");
        String now = run(shell, "emit_small dotenv x=y/.env dotenv_lines x=y/.env\n");
        assertEquals("AVAILABLE_MEMORY_FOR_DASK=42", section(now).content());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dash", "busybox"})
    void theDaskLogLinesAreCappedAndACutOneIsTruncated(String shell) throws Exception {
        String line = "distributed.nanny - WARNING - Worker process 4242 was killed by signal 9\n";
        Files.writeString(tmp.resolve("log"), ("noise\n" + line).repeat(3));
        String stub = "run_docker() { cat log; }\n";
        ProbeSection whole = section(run(shell, stub + "emit_small dask-log c0ffee dask_log c0ffee\n"));
        assertTrue(whole.ok(), whole.toString());
        assertEquals((line.repeat(3)).strip(), whole.content());
        int whole3 = line.length() * 3 - 1;  // the three lines without the last newline
        for (int cap = whole3 - 80; cap < whole3 + 5; cap++) {
            ProbeSection s = section(run(shell, stub + "CAP=" + cap + "; emit_small dask-log c0ffee dask_log c0ffee\n"));
            assertTrue(cap >= whole3 ? s.ok() : s.status() == ProbeSection.Status.TRUNCATED, "cap " + cap + ": " + s);
        }
    }
}
