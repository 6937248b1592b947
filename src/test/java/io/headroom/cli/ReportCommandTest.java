package io.headroom.cli;

import io.headroom.engine.FixtureRunners;
import io.headroom.engine.ScanEngine;
import io.headroom.engine.ScanListener;
import io.headroom.engine.ScanOptions;
import io.headroom.engine.Snapshots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code headroom report}: a snapshot as Markdown or HTML from the command line. */
class ReportCommandTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return new HeadroomCli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), null)
                .run(args);
    }

    private Path snapshot() throws Exception {
        var r = new ScanEngine(FixtureRunners.of(Map.of("vm-a", "/fixtures/probe/podman-cgroup-v1-hybrid.txt")), "t")
                .scan(List.of("vm-a"), ScanOptions.DEFAULTS, new ScanListener() { });
        Path f = dir.resolve("prod.headroom.json");
        Snapshots.write(r, f);
        return f;
    }

    @Test
    void writesMarkdownOrHtmlByExtensionOrFormat() throws Exception {
        Path snap = snapshot();
        Path md = dir.resolve("r.md");
        assertEquals(0, run("report", snap.toString(), "-o", md.toString()), err.toString());
        String text = Files.readString(md);
        assertTrue(text.startsWith("# Headroom report\n\n- Source: snapshot " + snap.toAbsolutePath()), text);
        assertTrue(text.contains("| MemTotal | 23.54 GiB (25,276,510,208 bytes) |"), text);
        assertFalse(text.contains("!["), "no chart pictures from the command line");
        assertEquals("wrote " + md + " (1 host(s))\n", out.toString());
        Path html = dir.resolve("r.txt");
        assertEquals(0, run("report", "--format", "html", snap.toString(), "-o", html.toString()), err.toString());
        assertTrue(Files.readString(html).startsWith("<!DOCTYPE html>"));
    }

    @Test
    void badArgumentsAreUsageErrors() throws Exception {
        assertEquals(2, run("report", "-o", dir.resolve("x.md").toString()));
        assertTrue(err.toString().contains("report needs a snapshot file and -o FILE"), err.toString());
        assertEquals(2, run("report", "--format", "pdf", snapshot().toString(), "-o", dir.resolve("x.pdf").toString()));
        assertTrue(err.toString().contains("unknown report format 'pdf'"), err.toString());
        assertEquals(2, run("report", dir.resolve("missing.json").toString(), "-o", dir.resolve("x.md").toString()));
        assertTrue(err.toString().contains("cannot write the report of "), err.toString());
        assertFalse(Files.exists(dir.resolve("x.md")));
        assertEquals(0, run("report", "--help"));
        assertTrue(out.toString().contains("Usage: headroom report [-hV] [--format=FORMAT] [-o=FILE] [SNAPSHOT]"), out.toString());
    }
}
