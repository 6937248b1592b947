package io.headroom.probe;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the probe on this machine through {@code sh -s}, with the same script and caps as over SSH. */
public final class LocalProbeRunner implements ProbeRunner {
    private final String shell;

    public LocalProbeRunner() {
        this("/bin/sh");
    }

    public LocalProbeRunner(String shell) {
        this.shell = shell;
    }

    @Override
    public ProbeOutput run(String nonce, Duration timeout) throws ProbeException {
        return execute(ProbeScript.text(), List.of(nonce, Integer.toString(ProbeScript.DEFAULT_SECTION_CAP_BYTES)), timeout);
    }

    @Override
    public ProbeOutput runScript(String script, String nonce, List<String> args, Duration timeout) throws ProbeException {
        List<String> all = new java.util.ArrayList<>();
        all.add(nonce);
        all.addAll(ProbeRunner.checkedArguments(nonce, args));
        return execute(script, all, timeout);
    }

    @Override
    public ProbeOutput refresh(String nonce, List<String> arguments, Duration timeout) throws ProbeException {
        List<String> args = new java.util.ArrayList<>();
        args.add(nonce);
        args.addAll(arguments);
        return execute(RefreshScript.text(), args, timeout);
    }

    /** {@code sh -s -- ARGS...} with {@code script} on stdin (arguments go to the process as they are: no shell parses them). */
    private ProbeOutput execute(String script, List<String> arguments, Duration timeout) throws ProbeException {
        List<String> command = new java.util.ArrayList<>(List.of(shell, "-s", "--"));
        command.addAll(arguments);
        ProcessBuilder pb = new ProcessBuilder(command);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new ProbeException("could not start " + shell + ": " + e.getMessage(), e);
        }
        CappedCollector out = CappedCollector.head(p.getInputStream(), maxOutputBytes(), "probe-stdout");
        CappedCollector err = CappedCollector.tail(p.getErrorStream(), 4096, "probe-stderr");
        try (OutputStream stdin = p.getOutputStream()) {
            stdin.write(script.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the shell may have exited early; its stderr says why
        }
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new ProbeException("the probe did not finish within " + timeout.toSeconds() + " s");
            }
            out.await(2000);
            err.await(2000);
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ProbeException("scan cancelled");
        }
        return new ProbeOutput(out.text(), err.text(), p.exitValue(), out.truncated());
    }
}
