package io.headroom.probe;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the probe's masking block (the code the probe runs on a VM) with a script after it, under a given shell. */
public final class MaskShell {
    private MaskShell() {
    }

    /** The {@code # >>> mask} … {@code # <<< mask} block of headroom-probe.sh. */
    public static String block() {
        return block("mask");
    }

    /** The {@code # >>> NAME} … {@code # <<< NAME} block of headroom-probe.sh. */
    public static String block(String name) {
        String s = ProbeScript.text();
        int from = s.indexOf("# >>> " + name);
        int to = s.indexOf("# <<< " + name);
        if (from < 0 || to < from) {
            throw new IllegalStateException("the probe has no " + name + " block");
        }
        return s.substring(from, to);
    }

    /**
     * {@link #sectionsFunctions()} and {@code dask_view_of PID}: the body of the dask-view section the probe prints
     * for process PID (as the only Dask process of a container whose main process it is), its environment read by
     * environs and its YAML by dask_yaml. NONCE and CAP default to n0nce and 262144; T is set by the caller.
     */
    public static String environFunctions() {
        return sectionsFunctions()
                + "dask_view_of() {\n"
                + "    NONCE=${NONCE:-n0nce}; CAP=${CAP:-262144}\n"
                + "    sections_for c0ffee \"$1\" \"$1\" | awk -v b=\"==HR:$NONCE:begin dask-view \" -v e=\"==HR:$NONCE:end dask-view \" '\n"
                + "        index($0, e) == 1 { on = 0 } on { print } index($0, b) == 1 { on = 1 }'\n"
                + "}\n";
    }

    /**
     * What the probe's per-container sections need (issue 15, Round 8): {@code catsmall}, {@code cmdlines} and
     * {@code dask_versions}, the mask, environ and sections blocks, and the cgroup mount points (V1MEM, V1CPU,
     * V2MNT from /proc/self/mountinfo), then {@code sections_for ID PID PROCS...}: the container-cgroup, process
     * and dask-view sections of a container with main process PID and Dask processes PROCS, as the probe prints
     * them (T, NONCE and CAP set by the caller; the dask-log ids in $T/logs).
     */
    public static String sectionsFunctions() {
        String s = ProbeScript.text();
        String mounts = s.substring(s.indexOf("# ---- cgroup mount points"), s.indexOf("# ---- host ----"));
        return function(s, "catsmall") + function(s, "cmdlines") + function(s, "dask_versions") + block("mask") + "\n"
                + block("environ") + "\n" + mounts + block("sections") + "\n"
                + "sections_for() {\n"
                + "    _cid=$1; _cpid=$2; shift 2\n"
                + "    CAND=\"$*\"; cmdlines; environs \"$@\"\n"
                + "    printf '%s %s %s\\n' \"$_cid\" \"$_cpid\" \"$*\" >\"$T/match\"\n"
                + "    sections_plan; : >\"$T/logs\"; sections\n"
                + "}\n";
    }

    /** The text of shell function NAME of headroom-probe.sh, from its {@code NAME() {} line to its closing brace. */
    public static String function(String name) {
        return function(ProbeScript.text(), name);
    }

    /** The text of shell function NAME of {@code script}, from its {@code NAME() {} line to its closing brace. */
    public static String function(String script, String name) {
        int start = script.indexOf("\n" + name + "() {") + 1;
        if (start == 0) {
            throw new IllegalStateException("the probe has no function " + name);
        }
        return script.substring(start, script.indexOf("\n}\n", start) + 3);
    }

    /** The body of the section {@code NAME ARG} in a probe's output with {@code nonce} (without its frame lines). */
    public static String section(String out, String nonce, String name, String arg) {
        String begin = "==HR:" + nonce + ":begin " + name + " " + arg + "\n";
        int a = out.indexOf(begin);
        if (a < 0) {
            throw new IllegalStateException("no section " + name + " " + arg + " in\n" + out);
        }
        int b = out.indexOf("==HR:" + nonce + ":end " + name + " ", a);
        return out.substring(a + begin.length(), b);
    }

    /**
     * Starts {@code pb} with no input, stderr to the test's, and returns its stdout as ISO-8859-1 (bytes as they
     * are) after checking it ended within 60 s with exit status 0.
     */
    public static String output(ProcessBuilder pb) throws IOException, InterruptedException {
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        org.junit.jupiter.api.Assertions.assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the shell ends");
        org.junit.jupiter.api.Assertions.assertEquals(0, p.exitValue(), new String(out, StandardCharsets.ISO_8859_1));
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    /**
     * A directory {@code dir/bb} of busybox's applets (created once, links to busybox), for running a probe block
     * under busybox sh with busybox's tools only (PATH set to it); the test is skipped when busybox is not installed
     * (CI installs it).
     *
     * @return the directory; its {@code sh} runs busybox sh
     */
    public static Path busyboxBin(Path dir, List<String> applets) throws IOException {
        Path busybox = Files.isExecutable(Path.of("/usr/bin/busybox")) ? Path.of("/usr/bin/busybox") : Path.of("/bin/busybox");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(busybox), "busybox is not installed");
        Path bin = Files.createDirectories(dir.resolve("bb"));
        for (String applet : applets) {
            if (!Files.exists(bin.resolve(applet), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(bin.resolve(applet), busybox);
            }
        }
        return bin;
    }

    /**
     * Runs {@code shell -c BLOCK\nSCRIPT} in {@code dir} with {@code stdin}; returns stdout, fails on a non-zero exit.
     *
     * @param shell the shell command (e.g. {@code List.of("dash")})
     */
    public static String run(List<String> shell, java.util.Map<String, String> env, Path dir, String script, String stdin)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(new java.util.ArrayList<>(shell));
        pb.command().add("-c");
        pb.command().add(block("mask") + "\n" + block("labels") + "\n" + script);
        pb.environment().putAll(env);
        pb.directory(dir.toFile());
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(shell + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
