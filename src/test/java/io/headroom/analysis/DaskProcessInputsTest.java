package io.headroom.analysis;

import io.headroom.analysis.dask.DaskMemoryModel;
import io.headroom.model.ContainerFacts;
import io.headroom.model.DaskWorker;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inputs of a worker's budget that only the process itself shows (issue 22): the environment its entrypoint
 * exported ({@code /proc/PID/environ}, preferred over the container's {@code Config.Env}) and Python ≥ 3.13's
 * CPU-count override ({@code PYTHON_CPU_COUNT}, {@code -X cpu_count}), each named in the derivation.
 */
class DaskProcessInputsTest {
    private static final long GIB = 1L << 30;

    private static DaskMemoryModel.Prediction predict(TestFacts f, ContainerFacts c) {
        return DaskMemoryModel.predict(f.build(), c);
    }

    private static String derivation(DaskWorker w) {
        return String.join("\n", w.derivation());
    }

    @Test
    void theEntrypointsExportWinsOverConfigEnv() {
        TestFacts f = new TestFacts();
        f.daskVersion = "2024.12.1";
        f.environ = Map.of("DASK_DISTRIBUTED__WORKER__MEMORY__SPILL", "false", "DASK_DISTRIBUTED__WORKER__MEMORY__PAUSE", "0.9");
        ContainerFacts c = f.worker("w", 8 * GIB, null, GIB, Map.of("DASK_DISTRIBUTED__WORKER__MEMORY__PAUSE", "0.85"),
                "--nthreads", "4");
        DaskWorker w = predict(f, c).workers().get(0);
        assertNull(w.thresholds().spill(), "spilling off, as the process's own variable says");
        assertEquals(0.9, w.thresholds().pause());
        String d = derivation(w);
        assertTrue(d.contains("environment: /proc/" + w.launcherPid() + "/environ of the process"), d);
        assertTrue(d.contains("DASK_DISTRIBUTED__WORKER__MEMORY__SPILL=false (not in Config.Env)"), d);
        assertTrue(d.contains("DASK_DISTRIBUTED__WORKER__MEMORY__PAUSE=0.9 (Config.Env has 0.85)"), d);
    }

    @Test
    void anUnreadableEnvironFallsBackToConfigEnv() {
        TestFacts f = new TestFacts();
        f.daskVersion = "2024.12.1";
        ContainerFacts c = f.worker("w", 8 * GIB, null, GIB, Map.of("DASK_DISTRIBUTED__WORKER__MEMORY__PAUSE", "0.85"),
                "--nthreads", "4");
        DaskWorker w = predict(f, c).workers().get(0);
        assertEquals(0.85, w.thresholds().pause());
        assertTrue(derivation(w).contains("the container's Config.Env (docker inspect); /proc/" + w.launcherPid()
                + "/environ unreadable to the probe's user"), derivation(w));
    }

    /** 4 CPUs, PYTHON_CPU_COUNT=1 on Python 3.13: CPU_COUNT 1, one thread, the whole limit (auto × 1/1). */
    @Test
    void pythonCpuCountLowersDasksCountOnPython313Only() {
        for (String exe : List.of("/usr/local/bin/python3.13", "/usr/local/bin/python3.12")) {
            TestFacts f = new TestFacts();
            f.daskVersion = "2024.12.1";
            f.python = List.of(exe);
            f.environ = Map.of("PYTHON_CPU_COUNT", "1");
            ContainerFacts c = f.worker("w", 8 * GIB, null, GIB, Map.of());
            DaskWorker w = predict(f, c).workers().get(0);
            boolean applies = exe.endsWith("3.13");
            assertEquals(applies ? 1 : 4, w.cpuCount(), exe);
            assertEquals(applies ? 1 : 4, w.nthreads(), exe);
            assertEquals(8 * GIB, w.memoryLimitBytes(), exe);
            assertTrue(derivation(w).contains(applies ? "os.cpu_count() and os.process_cpu_count() return 1"
                    : "no effect on Python 3.12"), derivation(w));
        }
    }

    /** -X cpu_count overrides the variable; -E hides the variable; a bad value stops Python: no worker, Python's words. */
    @Test
    void xOptionAndRefusal() {
        TestFacts f = new TestFacts();
        f.daskVersion = "2026.7.1";
        f.python = List.of("/usr/bin/python3.13", "-X", "cpu_count=2");
        f.environ = Map.of("PYTHON_CPU_COUNT", "1");
        DaskWorker w = predict(f, f.worker("w", 8 * GIB, null, GIB, Map.of(), "--nthreads", "1")).workers().get(0);
        assertEquals(2, w.cpuCount());
        assertEquals(4 * GIB, w.memoryLimitBytes(), "--nthreads 1 of CPU_COUNT 2: half the limit");

        f.python = List.of("/usr/bin/python3.13", "-E");
        assertEquals(4, predict(f, f.worker("w2", 8 * GIB, null, GIB, Map.of())).workers().get(0).cpuCount());

        f.python = List.of("/usr/bin/python3.13", "-Xcpu_count=0");
        DaskMemoryModel.Prediction p = predict(f, f.worker("w3", 8 * GIB, null, GIB, Map.of()));
        assertTrue(p.workers().isEmpty());
        assertTrue(p.refusals().get(0).contains("-X cpu_count=n option: n is missing or an invalid number"), p.refusals().toString());
    }
}
