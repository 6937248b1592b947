package io.headroom.probe.parse;

import io.headroom.analysis.dask.DaskSystemModel;
import io.headroom.analysis.dask.DaskVersion;
import io.headroom.analysis.dask.MemoryLimitParser;
import io.headroom.model.DaskView;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The probe's {@code dask-view} section with what dask ≥ 2023.8.1's {@code cpu_count()} reads on cgroup v2
 * (dask/system.py:30-40 at 2026.7.1): the last line of the process's {@code /proc/self/cgroup}, whether it
 * shares the probe's cgroup namespace, and {@code cpu.max} at {@code /sys/fs/cgroup<path>/} through its root.
 * A container limited to 2 CPUs of 8 ({@code cpu.max = 200000 100000}), fixtures/probe/dask-view-v2-cgroupns-*.txt
 * as headroom-probe.sh's dask_view prints them:
 * <ul>
 *   <li>{@code cgroupns: host}: the process sees {@code 0::/system.slice/docker-ID.scope}, the root
 *       {@code /sys/fs/cgroup/cpu.max} does not exist (the root cgroup has none), the scope's does;</li>
 *   <li>private cgroup namespace (Docker's default on v2): the process sees its cgroup as {@code /}, so Dask
 *       reads {@code /sys/fs/cgroup/cpu.max}, the container's own.</li>
 * </ul>
 */
class DaskViewCgroupPathTest {
    private static final String SCOPE = "/system.slice/docker-5d0c2a1f3b7e4c9d8a6b1e2f3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d.scope";
    private static final DaskVersion DEBIAN = DaskVersion.parse("2022.12.1+ds.1");
    private static final DaskVersion BEFORE = DaskVersion.parse("2023.7.1");
    private static final DaskVersion FIRST = DaskVersion.parse("2023.8.1");
    private static final DaskVersion LAB_V2 = DaskVersion.parse("2024.12.1");
    private static final DaskVersion NEWEST = DaskVersion.parse("2026.7.1");
    private static final long GIB = 1L << 30;

    private static DaskView view(String name) throws IOException {
        try (InputStream in = DaskViewCgroupPathTest.class.getResourceAsStream("/fixtures/probe/" + name)) {
            assertNotNull(in, name);
            return ProcessSectionParser.parseView(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void cgroupnsHostReadsTheScopesCpuMax() throws IOException {
        DaskView v = view("dask-view-v2-cgroupns-host.txt");
        assertEquals("0::" + SCOPE, v.files().get(DaskSystemModel.SELF_CGROUP));
        assertEquals("shared", v.files().get(DaskSystemModel.CGROUP_NS));
        assertEquals("200000 100000", v.files().get("/sys/fs/cgroup" + SCOPE + "/cpu.max"));
        assertFalse(v.files().containsKey("/sys/fs/cgroup/cpu.max"), "<absent> is no file");
        for (DaskVersion d : new DaskVersion[] {FIRST, LAB_V2, NEWEST, null}) {
            DaskSystemModel.CpuCount c = DaskSystemModel.cpu(8, 8, v, d);
            assertEquals(2, c.count(), String.valueOf(d));
            assertTrue(c.steps().stream().anyMatch(s -> s.contains("/sys/fs/cgroup" + SCOPE + "/cpu.max")), c.steps().toString());
        }
        // before 2023.8.1 Dask reads no cgroup v2 file
        assertEquals(8, DaskSystemModel.cpuCount(8, 8, v, DEBIAN));
        assertEquals(8, DaskSystemModel.cpuCount(8, 8, v, BEFORE));
        // the example: --nthreads 1, memory limit auto, 8 GiB: Dask takes 1/2, not 1/8
        assertEquals(4 * GIB, MemoryLimitParser.parse("auto", 1, DaskSystemModel.cpuCount(8, 8, v, LAB_V2), 8 * GIB).bytes());
        assertEquals(GIB, MemoryLimitParser.parse("auto", 1, DaskSystemModel.cpuCount(8, 8, v, DEBIAN), 8 * GIB).bytes());
    }

    @Test
    void privateNamespaceReadsTheRootCpuMax() throws IOException {
        DaskView v = view("dask-view-v2-cgroupns-private.txt");
        assertEquals("private", v.files().get(DaskSystemModel.CGROUP_NS));
        DaskSystemModel.CpuCount c = DaskSystemModel.cpu(8, 8, v, NEWEST);
        assertEquals(2, c.count());
        assertTrue(c.steps().stream().anyMatch(s -> s.contains("own cgroup namespace")), c.steps().toString());
        assertEquals(8, DaskSystemModel.cpuCount(8, 8, v, DEBIAN));
    }

    /** The probe could not read /proc/PID/cgroup (process gone): Dask's open fails, no v2 quota. */
    @Test
    void unreadableSelfCgroupMeansNoQuota() {
        DaskView v = ProcessSectionParser.parseView("/sys/fs/cgroup/cpu.max\t200000 100000 \n"
                + "/proc/self/cgroup\t<absent>\n/proc/self/ns/cgroup\tshared\n");
        assertEquals(8, DaskSystemModel.cpuCount(8, null, v, NEWEST));
    }

    /**
     * headroom-probe.sh's own dask-view section (its sections block), run by /bin/sh on this JVM's process (its
     * root is /): the last line of /proc/PID/cgroup, the namespace shared with the shell, and the cpu.max line at
     * that path (a plain path other than /) in the section's format.
     */
    @Test
    void theProbesDaskViewPrintsTheCgroupLines(@org.junit.jupiter.api.io.TempDir java.nio.file.Path t) throws Exception {
        java.nio.file.Path cgroup = java.nio.file.Path.of("/proc/self/cgroup");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isReadable(cgroup), "no /proc");
        String function = io.headroom.probe.MaskShell.environFunctions();
        long pid = ProcessHandle.current().pid();
        java.util.List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/cgroup"));
        String last = lines.get(lines.size() - 1);
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", function + "dask_view_of " + pid).redirectErrorStream(true);
        pb.environment().put("T", t.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        DaskView v = ProcessSectionParser.parseView(out);
        assertEquals(last, v.files().get(DaskSystemModel.SELF_CGROUP), out);
        assertEquals("shared", v.files().get(DaskSystemModel.CGROUP_NS), out);
        String path = last.substring(last.lastIndexOf(':') + 1);
        if (path.matches("/[A-Za-z0-9_./@+=-]+") && !path.contains("..") && !path.equals("/")) {
            String key = "/sys/fs/cgroup" + path.replaceAll("/$", "") + "/cpu.max\t";
            assertTrue(out.contains("\n" + key), key + " in\n" + out);
        }
    }

    /**
     * proc_environ on a real process started with a known environment (as an entrypoint's export would leave it):
     * the threshold and PYTHON_CPU_COUNT values are passed on, another DASK_* by name only, other variables (a
     * secret) never; a newline inside a value comes back as a newline. The model then reads the process's
     * environment, not the container's Config.Env, and says so.
     */
    @Test
    void theProbeReadsTheProcessEnvironmentThroughTheMask(@org.junit.jupiter.api.io.TempDir java.nio.file.Path t) throws Exception {
        ProcessBuilder child = new ProcessBuilder("sleep", "60");
        child.environment().clear();
        child.environment().put("DASK_DISTRIBUTED__WORKER__MEMORY__SPILL", "false");
        child.environment().put("DASK_distributed__worker__memory__target", "0.5\n");
        child.environment().put("DASK_COILED__TOKEN", "tok-secret-1");
        child.environment().put("AWS_SECRET_ACCESS_KEY", "aws-secret-2");
        child.environment().put("PYTHON_CPU_COUNT", "2");
        Process sleeper = child.start();
        try {
            ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", io.headroom.probe.MaskShell.environFunctions() + "dask_view_of " + sleeper.pid())
                    .redirectErrorStream(true);
            pb.environment().put("T", t.toString());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), out);
            assertFalse(out.contains("secret"), out);
            DaskView v = ProcessSectionParser.parseView(out);
            assertNotNull(v.environ(), out);
            assertEquals(Map.of("DASK_DISTRIBUTED__WORKER__MEMORY__SPILL", "false",
                    "DASK_distributed__worker__memory__target", "0.5\n",
                    "DASK_COILED__TOKEN", "<masked-by-headroom>", "PYTHON_CPU_COUNT", "2"), v.environ());
            assertTrue(v.files().get("/proc/self/exe").endsWith("sleep"), out);
            assertFalse(java.nio.file.Files.exists(t.resolve("env." + sleeper.pid())), "the copy is removed");
        } finally {
            sleeper.destroy();
        }
    }

    /** A process whose environ the probe may not read: no environment, the model falls back to Config.Env. */
    @Test
    void unreadableEnvironIsNoEnvironment() {
        DaskView v = ProcessSectionParser.parseView("/proc/self/exe\t<absent>\n/proc/self/environ\t<unreadable>\n"
                + "environ\tDASK_DISTRIBUTED__WORKER__MEMORY__SPILL=0.5\n");
        assertEquals(null, v.environ());
        assertEquals("<unreadable>", v.files().get(ProcessSectionParser.ENVIRON));
    }

    /** A dask-view from a probe before these lines: the root cpu.max, as before. */
    @Test
    void olderProbeOutputUsesTheRootCpuMax() {
        DaskView v = ProcessSectionParser.parseView("/sys/fs/cgroup/cpu.max\t300000 100000 \n");
        assertEquals(3, DaskSystemModel.cpuCount(8, null, v, NEWEST));
        assertEquals(8, DaskSystemModel.cpuCount(8, null, new DaskView(null, Map.of()), NEWEST));
    }
}
