package io.headroom;

import io.headroom.cli.HeadroomCli;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The class-archive training run (installer/build, docs/decisions/0015): its CLI commands must run the
 * paths users take (no internal error, the exit code each should have), and the build must call it by
 * the word {@link Main} knows, or the archive silently loses the CLI's classes again.
 */
class MainTrainingTest {

    @Test
    void everyTrainingCommandRunsItsRealPath() {
        for (String[] command : Main.TRAINING_COMMANDS) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = new HeadroomCli(new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), null).run(command);
            String said = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
            String what = String.join(" ", command);
            assertThat(said).as(what).doesNotContain("unexpected error").isNotBlank();
            if (command[0].equals("scna")) {
                assertThat(code).as(what).isEqualTo(2);
                assertThat(said).contains("did you mean 'scan'");
            } else if (command[0].equals("scan") && command[1].equals("--json")) {
                assertThat(code).as(what).isBetween(0, 1);   // local is always scannable; 1 = findings
                assertThat(said).contains("\"target\" : \"local\"");
            } else {
                assertThat(code).as(what).isBetween(0, 1);
            }
        }
    }

    @Test
    void theInstallerTrainsThroughThisEntry() throws Exception {
        String build = Files.readString(Path.of("installer/build"));
        assertThat(build).contains("\"$launcher\" " + Main.TRAIN + " \"$@\"")
                .contains("aot_cache headroom-cli.aot cli").contains("aot_cache headroom-gui.aot gui \"$shots\"")
                .contains("words=(all \"$shots\")");
    }
}
