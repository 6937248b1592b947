package io.headroom.probe;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
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
     * What the probe's {@code environs} and {@code proc_environ} need: its {@code catsmall}, the mask block
     * (DASK_ENV_AWK) and the {@code # >>> environ} block (environs, proc_environ, dask_yaml and their awk programs).
     */
    public static String environFunctions() {
        String s = ProbeScript.text();
        int start = s.indexOf("\ncatsmall() {") + 1;
        return s.substring(start, s.indexOf("\n}\n", start) + 3) + block("mask") + "\n" + block("environ") + "\n";
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
