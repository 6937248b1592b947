package io.headroom;

import io.headroom.cli.HeadroomCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code headroom --version} is answered by {@link Main} before picocli is loaded (issue 15: a CLI that
 * starts like a native tool); it must print exactly what the picocli command tree prints for the same word.
 */
class MainVersionTest {

    @ParameterizedTest
    @ValueSource(strings = {"--version", "-V", "version"})
    void theFastPathPrintsWhatPicocliPrints(String word) {
        String fast = stdoutOf(() -> Main.main(new String[]{word}));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = new HeadroomCli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), null).run(new String[]{word});
        assertThat(code).isZero();
        assertThat(fast).startsWith("headroom ").isEqualTo(out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theFastPathLoadsNeitherPicocliNorTheCommandTreeNorJavaFx() throws Exception {
        // a fresh JVM on the test class path, logging every class it loads
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xshare:auto", "-Xlog:class+load=info", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "--version")
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        assertThat(log).contains("io.headroom.Main ").contains("headroom ");
        assertThat(log).doesNotContain("picocli.").doesNotContain("io.headroom.cli.HeadroomCli").doesNotContain("javafx.");
    }

    private static String stdoutOf(Runnable r) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(saved);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
