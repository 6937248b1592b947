package io.headroom.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built jar started for its window where none can open (issue 16): one plain sentence naming the
 * cause and pointing to {@code headroom scan}, exit 2, no stack trace; and where one can (Xvfb), no
 * JavaFX configuration warning.
 */
class DesktopStartIT {
    private record Run(int exit, String out, String err) {
    }

    /**
     * A user's first start: Java's preferences root is a new, empty directory (as in a fresh home),
     * where the JDK would announce creating it on stderr.
     */
    private static String firstRunPrefs() {
        return "-Djava.util.prefs.userRoot=" + prefsHomes.resolve("userRoot" + STARTS.incrementAndGet());
    }

    /** Where each start's preferences root is made (JUnit removes it after the class). */
    @TempDir
    static Path prefsHomes;
    private static final AtomicInteger STARTS = new AtomicInteger();

    /** Runs {@code java -jar target/headroom.jar ARGS} with DISPLAY and WAYLAND_DISPLAY replaced by {@code display}. */
    private static Run start(Map<String, String> display, long waitSeconds, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                firstRunPrefs(), "-jar", System.getProperty("headroom.jar", "target/headroom.jar")));
        cmd.addAll(List.of(args));
        return run(cmd, display, waitSeconds);
    }

    private static Run run(List<String> cmd, Map<String, String> display, long waitSeconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("DISPLAY");
        pb.environment().remove("WAYLAND_DISPLAY");
        pb.environment().putAll(display);
        Path out = Files.createTempFile("desktop", ".out");
        Path err = Files.createTempFile("desktop", ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        int exit = -1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
        // a window that stays open is done once it logged "first window shown"
        while (p.isAlive() && System.nanoTime() < deadline && !Files.readString(err, StandardCharsets.UTF_8).contains("first window shown")) {
            p.waitFor(200, TimeUnit.MILLISECONDS);
        }
        if (!p.isAlive()) {
            exit = p.exitValue();
        } else {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        Run r = new Run(exit, Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        return r;
    }

    @Test
    void withoutADisplayItSaysSoInOneSentenceAndExits2() throws Exception {
        for (String[] args : new String[][]{{}, {"--gui"}, {"--gui", "--demo"}}) {
            Run r = start(Map.of(), 60, args);
            assertEquals(2, r.exit(), r.err());
            assertEquals("headroom: cannot open the window: there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set, as on a"
                    + " server, in a container or in an SSH session without -X). Without a window, use the command line:"
                    + " 'headroom scan' (see 'headroom --help').\n", r.err());
            assertEquals("", r.out());
        }
    }

    @Test
    void aDisplayThatDoesNotAnswerIsNamedWithoutAStackTrace() throws Exception {
        Run r = start(Map.of("DISPLAY", ":87"), 60);
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().startsWith("headroom: cannot open the window: the display DISPLAY=:87 does not answer"), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("WARNING"), r.err());
    }

    @Test
    void underXvfbTheWindowOpensWithoutJavaFxConfigurationWarnings() throws Exception {
        Need.XVFB.require();
        // the demo opens without any I/O; the app logs "first window shown" once the stage is up
        Run r = run(List.of("xvfb-run", "-a", "-s", "-screen 0 1400x900x24", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--sun-misc-unsafe-memory-access=allow", firstRunPrefs(), "-jar", System.getProperty("headroom.jar", "target/headroom.jar"), "--gui", "--demo"),
                Map.of(), 120);
        assertTrue(r.err().contains("first window shown"), "the window opened: " + r.err());
        assertFalse(r.err().contains("Unsupported JavaFX configuration"), r.err());
        assertFalse(r.err().contains("preferences directory"), "a first start says nothing about Java's preferences: " + r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }
}
