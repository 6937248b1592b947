package io.headroom.probe;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The probe's {@code # >>> environ} block (environs: one cat, one tr and one awk for the environments
 * of all of a VM's Dask processes, issue 15 item 2) on real processes of this machine, started with crafted
 * environments: Dask's memory variables, secrets in other {@code DASK_*} variables, a newline inside a value, more
 * than 200 kept variables, and an environment past the 64 KiB cap. Each process's section is compared with what
 * Java reads from the same {@code /proc/PID/environ} through the rules the block's comments state (the first 65536
 * bytes, values only of the variables the model reads, other {@code DASK_*} names only, at most 200 lines), under
 * dash and under busybox sh with busybox's applets, as the {@code # >>> sections} block prints them in each process's
 * dask-view section (with its interpreter: GNU find -printf under dash, readlink where busybox's find has no
 * -printf). A pid that does not exist is {@code <unreadable>}.
 */
class ProbeEnvironTest {
    private static final String NONCE = "n0nce";
    private static final String MASKED = "<masked-by-headroom>";
    private final List<Process> started = new ArrayList<>();
    @TempDir
    Path tmp;

    @AfterEach
    void stop() {
        started.forEach(Process::destroyForcibly);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dash", "busybox"})
    void eachProcessGetsItsOwnEnvironmentAsTheRulesSay(String shell) throws Exception {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/environ")), "needs Linux /proc");
        Map<String, String> small = new LinkedHashMap<>();
        small.put("HOME", "/home/dask");
        small.put("DASK_DISTRIBUTED__WORKER__MEMORY__SPILL", "false");
        small.put("dask_distributed__worker__memory__target", "0.6");
        small.put("DASK_COILED__TOKEN", "hunter2-token");
        small.put("AVAILABLE_MEMORY_FOR_DASK", "4294967296");
        small.put("PYTHON_CPU_COUNT", "2");
        small.put("DASK_DISTRIBUTED__WORKER__MEMORY__PAUSE", "0.8\nDASK_FAKE=injected");
        small.put("AWS_SECRET_ACCESS_KEY", "hunter2-aws");
        Map<String, String> many = new LinkedHashMap<>();
        for (int i = 0; i < 230; i++) {
            many.put("DASK_X" + i, "hunter2-" + i);
        }
        Map<String, String> huge = new LinkedHashMap<>();
        huge.put("PAD", "p".repeat(70_000));
        huge.put("DASK_DISTRIBUTED__WORKER__MEMORY__TERMINATE", "0.9");
        Map<String, String> nearCap = new LinkedHashMap<>();
        nearCap.put("PAD", "q".repeat(65_000));
        nearCap.put("DASK_DISTRIBUTED__WORKER__MEMORY__TARGET", "0.55" + "5".repeat(600));

        List<Long> pids = new ArrayList<>();
        for (Map<String, String> env : List.of(small, many, huge, nearCap)) {
            pids.add(sleeper(env));
        }
        long gone = ProcessHandle.current().pid() + 1_000_000L;
        StringBuilder script = new StringBuilder("T='" + tmp.resolve("t") + "'; mkdir -p \"$T\"; NONCE=" + NONCE + "\n");
        for (long p : pids) {
            script.append("echo '--- ").append(p).append("'; dask_view_of ").append(p).append('\n');
        }
        script.append("echo '--- ").append(gone).append("'; dask_view_of ").append(gone).append('\n');
        String out = run(shell, script.toString());

        assertFalse(out.contains("hunter2"), out);
        for (long p : pids) {
            byte[] raw = Files.readAllBytes(Path.of("/proc/" + p + "/environ"));
            assertEquals(expected(raw), environLines(section(out, p)), "pid " + p + " under " + shell);
        }
        assertEquals(List.of("/proc/self/environ\t<unreadable>"), environLines(section(out, gone)));
        assertTrue(section(out, gone).contains("/proc/self/exe\t<absent>\n"), section(out, gone));
        for (long p : pids) {
            String exe = java.nio.file.Files.readSymbolicLink(Path.of("/proc/" + p + "/exe")).toString();
            assertTrue(section(out, p).contains("/proc/self/exe\t" + exe + "\n"), "interpreter of " + p + " under " + shell + ": " + section(out, p));
        }
        assertTrue(section(out, pids.get(0)).contains("environ\tDASK_DISTRIBUTED__WORKER__MEMORY__PAUSE=0.8\u0001DASK_FAKE=injected"),
                "a newline inside a value travels as \\001, never as a line of its own");
        assertTrue(section(out, pids.get(2)).contains("/proc/self/environ\tread 65536"), "the cap: " + section(out, pids.get(2)));
    }

    /** The section's lines from /proc/self/environ on (the exe line before it is readlink's). */
    private static List<String> environLines(String section) {
        List<String> lines = new ArrayList<>();
        for (String l : section.split("\n", -1)) {
            if (l.startsWith("/proc/self/environ\t") || l.startsWith("environ\t")) {
                lines.add(l);
            }
        }
        return lines;
    }

    private static String section(String out, long pid) {
        int a = out.indexOf("--- " + pid + "\n");
        int b = out.indexOf("--- ", a + 4);
        return out.substring(a, b < 0 ? out.length() : b);
    }

    /** What the block's comments promise for these bytes of /proc/PID/environ. */
    private static List<String> expected(byte[] raw) {
        int n = Math.min(raw.length, 65536);
        String text = new String(raw, 0, n, StandardCharsets.ISO_8859_1).replace('\n', '\u0001');
        List<String> lines = new ArrayList<>();
        lines.add("/proc/self/environ\tread " + n);
        int kept = 0;
        for (String kv : text.split("\0")) {
            int eq = kv.indexOf('=');
            if (eq < 1) {
                continue;
            }
            String name = kv.substring(0, eq);
            String line;
            if (List.of("AVAILABLE_MEMORY_FOR_DASK", "MALLOC_TRIM_THRESHOLD_", "OMP_NUM_THREADS", "PYTHON_CPU_COUNT").contains(name)) {
                line = kv;
            } else if (!name.startsWith("DASK_")) {
                continue;
            } else if (name.substring(5).toLowerCase(Locale.ROOT).matches("distributed__worker__memory__(target|spill|pause|terminate)")) {
                line = kv;
            } else {
                line = name + "=" + MASKED;
            }
            if (kept++ < 200) {
                lines.add("environ\t" + line);
            }
        }
        return lines;
    }

    private long sleeper(Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("sleep", "120");
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        started.add(p);
        return p.pid();
    }

    private String run(String shell, String script) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        Map<String, String> env = new LinkedHashMap<>();
        if (shell.equals("busybox")) {
            Path bin = MaskShell.busyboxBin(tmp, List.of("sh", "awk", "cat", "tr", "head", "readlink", "mkdir", "printf", "find"));
            cmd.add(bin.resolve("sh").toString());
            env.put("PATH", bin.toString());
        } else {
            Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/dash")) || Files.isExecutable(Path.of("/bin/dash")), "no dash");
            cmd.add("dash");
        }
        cmd.add("-c");
        cmd.add(MaskShell.environFunctions() + script);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        pb.environment().put("LC_ALL", "C");
        return MaskShell.output(pb);
    }
}
