package io.headroom.it;


import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Access to the lab (lab/up): a container engine behind the docker CLI. Without it, lab tests are
 * skipped with a visible message; under CI (CI=true) a missing lab is a failure.
 */
public final class Lab {
    public static final String IMAGE = "localhost/headroom-dask:2022.12.1";

    private Lab() {
    }

    /** Skips (or fails in CI) when the docker CLI does not answer. */
    public static void requireDocker() {
        Need.LAB_V1.require();
    }

    /** Why the v1 lab's container engine does not answer, or null when {@code docker ps} works. */
    static String dockerUnavailableReason() {
        Result r = run(20, "docker", "ps", "-q");
        return r.exit == 0 ? null : "lab not available (run `lab/up v1 && . /run/headroom-lab/env` as root): docker ps said: "
                + r.err.strip();
    }

    /** Output of a finished command. */
    public record Result(int exit, String out, String err) {
    }

    public static Result run(long timeoutSeconds, String... command) {
        return run(java.util.Map.of(), timeoutSeconds, command);
    }

    /** Runs a command with extra environment variables. */
    public static Result run(java.util.Map<String, String> env, long timeoutSeconds, String... command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().putAll(env);
            String host = dockerHost();
            if (host != null) {
                pb.environment().put("DOCKER_HOST", host);
            }
            Path out = Files.createTempFile("lab", ".out");
            Path err = Files.createTempFile("lab", ".err");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "", "timed out: " + String.join(" ", command));
            }
            Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return r;
        } catch (IOException e) {
            return new Result(-1, "", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "", "interrupted");
        }
    }

    /** DOCKER_HOST from the environment or from /run/headroom-lab/env. */
    public static String dockerHost() {
        return labEnv("DOCKER_HOST");
    }

    /** A variable lab/up exports: from the environment, else from /run/headroom-lab/env; null when neither has it. */
    public static String labEnv(String name) {
        String env = System.getenv(name);
        return env != null && !env.isBlank() ? env : readEnvFile(name);
    }

    /** Runs {@code java -jar target/headroom.jar ARGS} with the lab's DOCKER_HOST. */
    public static Result headroom(String... args) {
        return headroom(java.util.Map.of(), args);
    }

    /** Runs the built jar with extra environment variables (e.g. XDG_STATE_HOME for the audit log). */
    public static Result headroom(java.util.Map<String, String> env, String... args) {
        String jar = System.getProperty("headroom.jar", "target/headroom.jar");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar));
        cmd.addAll(List.of(args));
        return run(env, 300, cmd.toArray(String[]::new));
    }

    private static String readEnvFile(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/run/headroom-lab/env"))) {
                String prefix = "export " + name + "=";
                if (line.startsWith(prefix)) {
                    return line.substring(prefix.length()).strip();
                }
            }
        } catch (IOException e) {
            // no lab env file
        }
        return null;
    }
}
