package io.headroom.probe;

import io.headroom.model.DaskView;
import io.headroom.probe.parse.ProcessSectionParser;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The probe's {@code # >>> sections} block (issue 15, Round 8): SECTIONS_AWK prints every container's
 * container-cgroup, process and dask-view sections from a plan, reading the files itself (one awk instead of the
 * read builtin, which costs dash a read(2) per byte). Here it reads a fixture tree laid out as /proc and the
 * cgroup mounts of a VM: a cgroup v2 container that counts an OOM kill, a cgroup v1 container (hybrid: memory and
 * cpu controllers, memsw not enabled), a container whose /proc/PID/cgroup is gone, one with no memory controller,
 * one that is not running; Dask processes that share the probe's cgroup namespace, have their own, or see a path
 * with "..". Expected text is written out by hand from the section format (docs/probe format: frames, "--- NAME"
 * files, memory.stat sizes only, "PATH\tfirst line " views). Run under dash with Debian's awk and under busybox.
 */
class ProbeSectionsTest {
    private static final String N = "n0nce";
    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"dash", "busybox"})
    void printsEachContainersSectionsFromItsFiles(String shell) throws Exception {
        Path proc = tmp.resolve("proc");
        Path v2 = tmp.resolve("cg2");
        Path v1mem = tmp.resolve("cg1mem");
        Path v1cpu = tmp.resolve("cg1cpu");
        Path t = Files.createDirectories(tmp.resolve("T"));
        // a cgroup v2 container (main pid 100, Dask process 101)
        write(proc.resolve("100/cgroup"), "0::/system.slice/docker-" + A + ".scope\n");
        Path scope = v2.resolve("system.slice/docker-" + A + ".scope");
        write(scope.resolve("memory.max"), "1073741824\n");
        write(scope.resolve("memory.high"), "max\n");
        write(scope.resolve("memory.low"), "0\n");
        write(scope.resolve("memory.min"), "0\n");
        write(scope.resolve("memory.current"), "524288000\n");
        // no memory.peak: a kernel before 5.19
        write(scope.resolve("memory.swap.max"), "max\n");
        write(scope.resolve("memory.events"), "low 0\nhigh 0\nmax 4\noom 1\noom_kill 1\noom_group_kill 0\n");
        write(scope.resolve("memory.stat"), "anon 400000000\nfile 100000000\nkernel 2000000\npgfault 123456\n"
                + "inactive_file 60000000\nworkingset_refault_anon 0\nslab 1500000\n");
        write(scope.resolve("cpu.max"), "200000 100000\n");
        write(proc.resolve("101/status"), "Name:\tdask-worker\nUmask:\t0022\nState:\tS (sleeping)\nPPid:\t100\n"
                + "Uid:\t1000\t1000\t1000\t1000\nNSpid:\t101\t7\nVmRSS:\t  204800 kB\nCpus_allowed_list:\t0-7\n");
        write(proc.resolve("101/limits"), "Limit                     Soft Limit           Hard Limit           Units     \n"
                + "Max resident set          unlimited            unlimited            bytes     \n");
        write(proc.resolve("101/cgroup"), "0::/system.slice/docker-" + A + ".scope\n");
        Path root = proc.resolve("101/root");
        write(root.resolve("proc/meminfo"), "MemTotal:        8000000 kB\nMemFree:         1000000 kB\n"
                + "MemAvailable:    6000000 kB\nBuffers:           10000 kB\n");
        write(root.resolve("sys/fs/cgroup/memory.max"), "1073741824\n");
        write(root.resolve("sys/fs/cgroup/memory.high"), "max\n");
        write(root.resolve("sys/fs/cgroup/memory.low"), "0\n");
        write(root.resolve("sys/fs/cgroup/cpu.max"), "200000 100000\n");
        write(root.resolve("sys/fs/cgroup/system.slice/docker-" + A + ".scope/cpu.max"), "200000 100000\n");
        write(t.resolve("envout.101"), "/proc/self/environ\tread 120\nenviron\tDASK_DISTRIBUTED__WORKER__MEMORY__SPILL=false\n");
        // a second Dask process of that container with its own cgroup namespace, a third whose path holds ".."
        write(proc.resolve("102/cgroup"), "0::/\n");
        write(proc.resolve("103/cgroup"), "0::/system.slice/../x\n");
        // a cgroup v1 container (hybrid), main pid 200, no Dask process found
        write(proc.resolve("200/cgroup"), "12:cpu,cpuacct:/docker/" + B + "\n11:memory:/docker/" + B + "\n5:pids:/docker/" + B
                + "\n1:name=systemd:/docker/" + B + "\n0::/docker/" + B + "\n");
        Path mem = v1mem.resolve("docker/" + B);
        write(mem.resolve("memory.limit_in_bytes"), "2147483648\n");
        write(mem.resolve("memory.soft_limit_in_bytes"), "9223372036854771712\n");
        write(mem.resolve("memory.usage_in_bytes"), "1000000\n");
        write(mem.resolve("memory.max_usage_in_bytes"), "2000000\n");
        // memsw not enabled (swapaccount=0): no memory.memsw.limit_in_bytes
        write(mem.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n");
        write(mem.resolve("memory.stat"), "cache 500\nrss 600\npgpgin 7\ninactive_file 40\ntotal_cache 500\n"
                + "total_inactive_file 40\nhierarchical_memory_limit 2147483648\n");
        write(v1cpu.resolve("docker/" + B + "/cpu.cfs_quota_us"), "-1\n");
        // (no cpu.cfs_period_us readable: that line is left out)
        // pid 300 is gone; pid 400 has no memory controller
        write(proc.resolve("400/cgroup"), "1:name=systemd:/x\n");

        write(t.resolve("cmdlines"), "==HR:" + N + ":cmdline 101\n/usr/bin/python3\n/usr/local/bin/dask-worker\ntcp://s:8786\n"
                + "==HR:" + N + ":cmdline\n==HR:" + N + ":cmdline 999\nnot ours\n==HR:" + N + ":cmdline\n");
        write(t.resolve("dv"), "==HR:" + N + ":dv 101\n/usr/local/lib/python3.12/site-packages/distributed-2026.7.1.dist-info\n");
        write(t.resolve("yaml"), "==HR:" + N + ":yaml 101\nyaml-file\t/etc/dask/dask.yaml\nyaml\tdistributed.worker.memory.target\t0.5\n");
        write(t.resolve("plan"), String.join("\n",
                "c\t" + A + "\t100",
                "p\t" + A + "\t101\tshared\t101\t/usr/bin/python3.12",
                "p\t" + A + "\t102\tprivate\t101\t",
                "p\t" + A + "\t103\tshared\t101\t/opt/conda/bin/python3.11\twith\ta tab",
                "c\t" + B + "\t200",
                "c\t" + "c".repeat(12) + "\t300",
                "c\t" + "d".repeat(12) + "\t400",
                "u\t" + "e".repeat(12) + "\t0") + "\n");

        String out = run(shell, proc, t, v1mem, v1cpu, v2, 262144);

        assertEquals(String.join("\n",
                "--- /proc/100/cgroup",
                "0::/system.slice/docker-" + A + ".scope",
                "--- dir v2 " + scope,
                "--- memory.max", "1073741824",
                "--- memory.high", "max",
                "--- memory.low", "0",
                "--- memory.min", "0",
                "--- memory.current", "524288000",
                "--- memory.peak unavailable",
                "--- memory.swap.max", "max",
                "--- memory.events", "low 0", "high 0", "max 4", "oom 1", "oom_kill 1", "oom_group_kill 0",
                "--- memory.stat", "anon 400000000", "file 100000000", "kernel 2000000", "inactive_file 60000000", "slab 1500000",
                "--- cpu.max", "200000 100000") + "\n", MaskShell.section(out, N, "container-cgroup", A));
        assertEquals(String.join("\n",
                "--- cmdline", "/usr/bin/python3", "/usr/local/bin/dask-worker", "tcp://s:8786", "",
                "--- status", "Name:\tdask-worker", "PPid:\t100", "Uid:\t1000\t1000\t1000\t1000", "NSpid:\t101\t7",
                "VmRSS:\t  204800 kB", "Cpus_allowed_list:\t0-7",
                "--- limits", "Max resident set          unlimited            unlimited            bytes     ",
                "--- cgroup", "0::/system.slice/docker-" + A + ".scope",
                "--- dask-versions", "/usr/local/lib/python3.12/site-packages/distributed-2026.7.1.dist-info") + "\n",
                MaskShell.section(out, N, "process", A + "/101"));
        String view101 = MaskShell.section(out, N, "dask-view", A + "/101");
        assertEquals(String.join("\n",
                "/proc/meminfo\tMemTotal:        8000000 kB;MemAvailable:    6000000 kB;",
                "/sys/fs/cgroup/memory.max\t1073741824 ",
                "/sys/fs/cgroup/memory.high\tmax ",
                "/sys/fs/cgroup/memory.low\t0 ",
                "/sys/fs/cgroup/cpu.max\t200000 100000 ",
                "/proc/self/cgroup\t0::/system.slice/docker-" + A + ".scope",
                "/proc/self/ns/cgroup\tshared",
                "/sys/fs/cgroup/system.slice/docker-" + A + ".scope/cpu.max\t200000 100000 ",
                "/proc/self/exe\t/usr/bin/python3.12",
                "/proc/self/environ\tread 120",
                "environ\tDASK_DISTRIBUTED__WORKER__MEMORY__SPILL=false",
                "yaml-file\t/etc/dask/dask.yaml",
                "yaml\tdistributed.worker.memory.target\t0.5") + "\n", view101);
        DaskView v = ProcessSectionParser.parseView(view101);
        assertEquals(8000000L * 1024, v.memTotalBytes());
        assertEquals("1073741824", v.files().get("/sys/fs/cgroup/memory.max"));
        assertFalse(v.files().containsKey("/sys/fs/cgroup/memory/memory.limit_in_bytes"), "a file it cannot open has no line");

        // its own cgroup namespace: no cpu.max at the path; nothing readable: no cgroup line, no environment
        assertEquals(String.join("\n",
                "/proc/self/cgroup\t0::/",
                "/proc/self/ns/cgroup\tprivate",
                "/proc/self/exe\t<absent>",
                "/proc/self/environ\t<unreadable>") + "\n", MaskShell.section(out, N, "dask-view", A + "/102"));
        // a path with "..": not followed; the interpreter keeps its tab
        assertEquals(String.join("\n",
                "/proc/self/cgroup\t0::/system.slice/../x",
                "/proc/self/ns/cgroup\tshared",
                "/proc/self/exe\t/opt/conda/bin/python3.11\twith\ta tab",
                "/proc/self/environ\t<unreadable>") + "\n", MaskShell.section(out, N, "dask-view", A + "/103"));
        assertTrue(MaskShell.section(out, N, "process", A + "/103").startsWith("--- cmdline\n\n--- status\n--- limits\n--- cgroup\n"
                + "0::/system.slice/../x\n--- dask-versions\n/usr/local"), "the listing of 101 serves 103");

        assertEquals(String.join("\n",
                "--- /proc/200/cgroup",
                "12:cpu,cpuacct:/docker/" + B,
                "11:memory:/docker/" + B,
                "0::/docker/" + B,
                "--- dir v1 " + mem,
                "--- memory.limit_in_bytes", "2147483648",
                "--- memory.soft_limit_in_bytes", "9223372036854771712",
                "--- memory.usage_in_bytes", "1000000",
                "--- memory.max_usage_in_bytes", "2000000",
                "--- memory.memsw.limit_in_bytes unavailable",
                "--- memory.oom_control", "oom_kill_disable 0", "under_oom 0", "oom_kill 0",
                "--- memory.stat", "cache 500", "rss 600", "inactive_file 40", "total_inactive_file 40",
                "hierarchical_memory_limit 2147483648",
                "--- cpu.cfs_quota_us", "-1") + "\n", MaskShell.section(out, N, "container-cgroup", B));
        assertTrue(out.contains("==HR:" + N + ":end container-cgroup status=unavailable /proc/300/cgroup is not readable \n"), out);
        assertTrue(out.contains("==HR:" + N + ":end container-cgroup status=unavailable no memory cgroup found for pid 400 \n"), out);
        assertTrue(out.contains("==HR:" + N + ":begin container-cgroup " + "e".repeat(12) + "\n==HR:" + N
                + ":end container-cgroup status=unavailable container is not running (pid 0)\n"), out);
        for (String end : List.of("container-cgroup status=ok", "process status=ok", "dask-view status=ok")) {
            assertTrue(out.contains("==HR:" + N + ":end " + end + "\n"), end);
        }
        // the v2 container counted an OOM kill (oom_kill 1): its Dask log is asked for; the v1 one (oom_kill 0) not
        assertEquals(A + "\n", Files.readString(t.resolve("logs")));

        // a section over the cap is cut there and says so
        String small = run(shell, proc, t, v1mem, v1cpu, v2, 100);
        String begin = "==HR:" + N + ":begin container-cgroup " + A + "\n";
        int at = small.indexOf(begin) + begin.length();
        assertEquals(("--- /proc/100/cgroup\n0::/system.slice/docker-" + A + ".scope\n--- dir v2 " + scope).substring(0, 100)
                + "\n==HR:" + N + ":end container-cgroup status=truncated cap=100\n", small.substring(at, small.indexOf("==HR:" + N + ":begin process", at)));
    }

    /**
     * A file that opens but cannot be read (here a directory where Dask's view expects memory.low; on a VM also a
     * process reaped or a cgroup removed between open and read) stops mawk, which takes a failed read(2) as fatal:
     * sections() then marks that section unavailable with awk's message and goes on after it, so no later
     * container or process is lost. busybox's awk reads nothing from it and goes on by itself.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dash", "busybox"})
    void aFileThatCannotBeReadCostsOnlyItsSection(String shell) throws Exception {
        Path proc = tmp.resolve("proc");
        Path t = Files.createDirectories(tmp.resolve("T"));
        write(proc.resolve("100/cgroup"), "0::/s\n");
        write(tmp.resolve("cg2/s/memory.max"), "1073741824\n");
        write(proc.resolve("101/status"), "Name:\tdask-worker\n");
        Files.createDirectories(proc.resolve("101/root/sys/fs/cgroup/memory.low"));
        write(proc.resolve("101/root/sys/fs/cgroup/memory.max"), "1073741824\n");
        write(proc.resolve("102/status"), "Name:\tdask-nanny\n");
        for (String f : List.of("cmdlines", "dv", "yaml")) {
            write(t.resolve(f), "");
        }
        write(t.resolve("plan"), "c\t" + A + "\t100\np\t" + A + "\t101\tshared\t101\t/x\np\t" + A + "\t102\tshared\t101\t/y\nc\t" + B + "\t100\n");
        String script = MaskShell.function("unavailable")
                + MaskShell.block("sections").replace("HR_PROC=/proc", "HR_PROC=\"$FIXTURE_PROC\"")
                + "\nT=$HR_DIR; NONCE=" + N + "; CAP=262144; V1MEM=; V1CPU=; V2MNT=$FIXTURE_V2\n: >\"$T/logs\"\nsections\n";
        String out = shell(shell, script, t, java.util.Map.of("FIXTURE_PROC", proc.toString(), "FIXTURE_V2", tmp.resolve("cg2").toString()));

        String end101 = out.substring(out.indexOf("==HR:" + N + ":begin dask-view " + A + "/101\n"));
        end101 = end101.substring(0, end101.indexOf("\n==HR:" + N + ":begin process"));
        if (shell.equals("dash") && Files.isSymbolicLink(Path.of("/etc/alternatives/awk"))
                && Files.readSymbolicLink(Path.of("/etc/alternatives/awk")).toString().contains("mawk")) {
            assertTrue(end101.contains(":end dask-view status=unavailable could not be read: "), end101);
        } else {
            assertTrue(end101.endsWith(":end dask-view status=ok") || end101.contains("status=unavailable could not be read: "), end101);
        }
        assertFalse(end101.contains("memory.low\t"), "a directory is no value: " + end101);
        for (String done : List.of("process " + A + "/101", "process " + A + "/102", "dask-view " + A + "/102", "container-cgroup " + B)) {
            String name = done.substring(0, done.indexOf(' '));
            assertTrue(out.contains("==HR:" + N + ":begin " + done + "\n") && out.indexOf("==HR:" + N + ":end " + name + " status=ok",
                    out.indexOf("==HR:" + N + ":begin " + done + "\n")) > 0, done + " in\n" + out);
        }
    }

    /** kernel_oom's filter: the last 200 lines naming the OOM killer, any case, as grep -iE | tail -n 200 gave them. */
    @ParameterizedTest
    @ValueSource(strings = {"dash", "busybox"})
    void oomLinesKeepsTheLast200(String shell) throws Exception {
        StringBuilder log = new StringBuilder();
        List<String> want = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String l = switch (i % 4) {
                case 0 -> "[" + i + ".0] python3 invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL)";
                case 1 -> "[" + i + ".1] Memory cgroup Out Of Memory: Killed process " + i + " (python3)";
                case 2 -> "[" + i + ".2] eth0: link up";
                default -> "[" + i + ".3] oom_reaper: reaped process " + i;
            };
            log.append(l).append('\n');
            if (i % 4 != 2) {
                want.add(l);
            }
        }
        write(tmp.resolve("T/dmesg"), log.toString());
        String out = shell(shell, MaskShell.function("oom_lines") + "oom_lines <\"$HR_DIR/dmesg\"\n", tmp.resolve("T"));
        assertEquals(String.join("\n", want.subList(want.size() - 200, want.size())) + "\n", out);
    }

    private static void write(Path p, String text) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.ISO_8859_1);
    }

    private String run(String shell, Path proc, Path t, Path v1mem, Path v1cpu, Path v2, int cap) throws Exception {
        return shell(shell, MaskShell.block("sections") + "\n: >\"$HR_DIR/logs\"\n"
                + "awk -v nonce=" + N + " -v cap=" + cap + " \"$SECTIONS_AWK\" \"$HR_DIR/plan\"\n", t,
                java.util.Map.of("HR_PROC", proc.toString(), "HR_V1MEM", v1mem.toString(), "HR_V1CPU", v1cpu.toString(),
                        "HR_V2MNT", v2.toString()));
    }

    private String shell(String shell, String script, Path t) throws Exception {
        return shell(shell, script, t, java.util.Map.of());
    }

    /** Runs SCRIPT under dash or busybox sh (with busybox's sh and awk only), HR_DIR=t, LC_ALL=C and ENV. */
    private String shell(String shell, String script, Path t, java.util.Map<String, String> env) throws Exception {
        List<String> cmd = new ArrayList<>();
        Path bin = null;
        if (shell.equals("busybox")) {
            bin = MaskShell.busyboxBin(tmp, List.of("sh", "awk"));
            cmd.add(bin.resolve("sh").toString());
        } else {
            Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/dash")) || Files.isExecutable(Path.of("/bin/dash")), "no dash");
            cmd.add("dash");
        }
        cmd.add("-c");
        cmd.add(script);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (bin != null) {
            pb.environment().put("PATH", bin.toString());
        }
        pb.environment().put("LC_ALL", "C");
        pb.environment().put("HR_DIR", t.toString());
        pb.environment().putAll(env);
        return MaskShell.output(pb);
    }
}
