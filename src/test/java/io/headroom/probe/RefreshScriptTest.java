package io.headroom.probe;

import io.headroom.model.CgroupMemory;
import io.headroom.probe.parse.CgroupSectionParser;
import io.headroom.probe.parse.ProbeStream;
import io.headroom.probe.parse.ProbeStreamParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The light refresh script (decision 0031): what may reach its command line, its size, and its output on
 * this machine's real cgroup v1 memory files under dash and busybox sh.
 */
class RefreshScriptTest {
    private static final String ID = "0123456789abcdef".repeat(4);

    @ParameterizedTest
    @ValueSource(strings = {
            "/sys/fs/cgroup/system.slice/docker-x.scope/../../../etc",
            "/sys/fs/cgroup/a/..",
            "/sys/fs/cgroup/./a",
            "/sys/fs/cgroup/a b",
            "/sys/fs/cgroup/a'b",
            "/sys/fs/cgroup/a$(reboot)",
            "/sys/fs/cgroup/a`id`",
            "/sys/fs/cgroup/a;id",
            "/sys/fs/cgroup/*",
            "/etc/shadow",
            "relative/sys/fs/cgroup/a",
            "/sys/fs/cgroup/a\nb",
            ""})
    void pathsOutsideTheCgroupAlphabetNeverReachTheShell(String dir) {
        assertThat(RefreshScript.safe(ID, 2, dir)).isFalse();
    }

    @Test
    void idsAndVersionsAreCheckedToo() {
        String dir = "/sys/fs/cgroup/system.slice/docker-" + ID + ".scope";
        assertThat(RefreshScript.safe(ID, 2, dir)).isTrue();
        assertThat(RefreshScript.safe(ID, 1, "/sys/fs/cgroup/memory/docker/" + ID)).isTrue();
        assertThat(RefreshScript.safe(ID, 3, dir)).isFalse();
        assertThat(RefreshScript.safe(ID.toUpperCase(), 2, dir)).isFalse();
        assertThat(RefreshScript.safe(ID.substring(1), 2, dir)).isFalse();
        assertThat(RefreshScript.safe("'; reboot; '" + ID, 2, dir)).isFalse();
    }

    @Test
    void quotingRefusesAQuoteInsteadOfEscapingIt() {
        assertThat(RefreshScript.quote("/sys/fs/cgroup/a")).isEqualTo("'/sys/fs/cgroup/a'");
        assertThatThrownBy(() -> RefreshScript.quote("a'b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theScriptIsSmallAndForksNothing() {
        String text = RefreshScript.text();
        assertThat(text.getBytes(StandardCharsets.UTF_8).length).isLessThan(1700);   // issue 15: <= 4 KiB sent per refresh, with the arguments
        // one external command, one grep; the rest are builtins (read, printf, echo, case, for, shift, [ ])
        List<String> code = text.lines().filter(l -> !l.stripLeading().startsWith("#")).toList();
        for (String tool : List.of("cat ", "sed ", "awk ", "head ", "tail ", "docker", "python", "ps ", "date", "$(", "`")) {
            assertThat(code).as(tool).noneMatch(l -> l.contains(tool));
        }
        assertThat(code.stream().filter(l -> l.stripLeading().startsWith("grep ")).count()).isEqualTo(1);
    }

    /** A real v1 memory cgroup of this machine (the lab's podman parent, else the hierarchy's root). */
    private static Path realV1Cgroup() {
        for (String d : List.of("/sys/fs/cgroup/memory/libpod_parent", "/sys/fs/cgroup/memory")) {
            if (Files.isReadable(Path.of(d, "memory.limit_in_bytes"))) {
                return Path.of(d);
            }
        }
        return null;
    }

    @ParameterizedTest
    @ValueSource(strings = {"/bin/sh", "/usr/bin/dash", "busybox"})
    void onRealCgroupFilesEveryShellPrintsWhatTheKernelSays(String shell, @TempDir Path tmp) throws Exception {
        Path cg = realV1Cgroup();
        assumeThat(cg).as("a cgroup v1 memory hierarchy (this CI machine has one)").isNotNull();
        String sh = shell;
        if (shell.equals("busybox")) {
            Path busybox = Path.of("/usr/bin/busybox");
            assumeThat(Files.isExecutable(busybox)).as("busybox installed").isTrue();
            Files.createSymbolicLink(tmp.resolve("sh"), busybox);   // busybox runs its sh when called as sh
            sh = tmp.resolve("sh").toString();
        }
        assumeThat(Files.isExecutable(Path.of(sh))).isTrue();
        ProbeRunner.ProbeOutput out = new LocalProbeRunner(sh).refresh("abc123", List.of(ID, "1", cg.toString()), Duration.ofSeconds(10));
        ProbeStream stream = ProbeStreamParser.parse(out.stdout(), "abc123");
        assertThat(stream.complete()).isTrue();
        assertThat(stream.first("grep").content()).contains("/proc/meminfo:MemAvailable:")
                .contains(cg + "/memory.stat:total_inactive_file ");
        CgroupMemory m = CgroupSectionParser.parse(stream.find("container-cgroup", ID).content());
        assertThat(m.version()).isEqualTo(1);
        assertThat(m.directory()).isEqualTo(cg.toString());
        long limit = Long.parseLong(Files.readString(cg.resolve("memory.limit_in_bytes")).strip());
        assertThat(m.hardLimitBytes()).isEqualTo(limit >= CgroupSectionParser.V1_UNLIMITED_THRESHOLD ? null : limit);
        assertThat(m.usageBytes()).isPositive();
        assertThat(stream.first("siblings").content()).contains(cg.getFileName().toString());
    }
}
