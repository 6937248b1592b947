package io.headroom.probe;

import io.headroom.probe.parse.DockerInspectParser;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The probe's reading of the compose labels ({@code # >>> labels} block, compose_labels) from docker
 * inspect's JSON: a path with a double quote, a backslash or Go's {@code \u0026 \u003c \u003e} is decoded
 * exactly as Jackson decodes it (so the compose file is read and found again by its path); a label with
 * another escape (a control character) is reported, never passed on; containers without labels are skipped.
 * Under dash with the system awk and under busybox sh + awk.
 */
class ProbeLabelsTest {
    private static final String JSON = String.join("\n",
            "{\"Id\":\"aaaa1111bbbb\",\"Name\":\"/x\",\"ComposeWorkingDir\":\"/srv/p\",\"ComposeConfigFiles\":\"/srv/p/a\\\"b.yml,c.yml\"}",
            "{\"Id\":\"aaaa1111cccc\",\"Name\":\"/y\",\"ComposeWorkingDir\":\"/srv/q\\u0026\\u003cr\\u003e\",\"ComposeConfigFiles\":\"docker-compose.yml\"}",
            "{\"Id\":\"aaaa1111dddd\",\"Name\":\"/z\",\"ComposeWorkingDir\":\"/srv/n\",\"ComposeConfigFiles\":\"a\\nb.yml\"}",
            "{\"Id\":\"aaaa1111eeee\",\"Name\":\"/w\",\"ComposeWorkingDir\":null,\"ComposeConfigFiles\":null}",
            "{\"Id\":\"aaaa1111ffff\",\"Name\":\"/v \\\"ComposeWorkingDir\\\":\\\"/forged\",\"ComposeWorkingDir\":\"/srv/b\\\\s\\/t\",\"ComposeConfigFiles\":\"x.yml\"}",
            "");
    @TempDir
    Path tmp;

    private List<String> run(List<String> shell, Map<String, String> env) throws Exception {
        Files.writeString(tmp.resolve("inspect"), JSON);
        return MaskShell.run(shell, env, tmp, "compose_labels inspect", "").lines().toList();
    }

    private void check(List<String> lines) {
        assertEquals(List.of(
                "ok\t\"/srv/p\"\t\"/srv/p/a\"b.yml,c.yml\"",
                "ok\t\"/srv/q&<r>\"\t\"docker-compose.yml\"",
                "bad\t\"aaaa1111dddd\"\t\"\"",
                "ok\t\"/srv/b\\s/t\"\t\"x.yml\""), lines);
        // the same values as the Java side reads from the same JSON (it finds the sections by these paths)
        var facts = DockerInspectParser.parse(JSON, Map.of()).containers();
        assertEquals("/srv/p", facts.get(0).composeWorkingDir());
        assertEquals(List.of("/srv/p/a\"b.yml", "c.yml"), facts.get(0).composeFiles());
        assertEquals("/srv/q&<r>", facts.get(1).composeWorkingDir());
        assertEquals("/srv/b\\s/t", facts.get(4).composeWorkingDir());
    }

    @Test
    void dash() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/dash")) || Files.isExecutable(Path.of("/bin/dash")), "no dash");
        check(run(List.of("dash"), Map.of()));
    }

    @Test
    void busybox() throws Exception {
        Path bin = MaskShell.busyboxBin(tmp, List.of("sh", "awk"));
        check(run(List.of(bin.resolve("sh").toString()), Map.of("PATH", bin.toString())));
    }
}
