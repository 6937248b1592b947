package io.headroom.compose;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real docker-compose (Debian's 1.29.2, /usr/bin/docker-compose): {@code config} needs no daemon.
 * Without it the tests that need it are skipped with a visible message; under CI (CI=true) they fail.
 */
final class ComposeCli {
    private ComposeCli() {
    }

    record Result(int exit, String out, String err) {
        @SuppressWarnings("unchecked")
        Map<String, Object> yaml() {
            return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(out);
        }
    }

    static String executable() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "docker-compose");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return Files.isExecutable(Path.of("/usr/bin/docker-compose")) ? "/usr/bin/docker-compose" : null;
    }

    /** Skips (or fails under CI) when docker-compose is not installed. */
    static String require() {
        String exe = executable();
        if (exe == null) {
            String why = "docker-compose is not installed (apt-get install docker-compose)";
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail("CI requires " + why);
            }
            System.err.println("SKIPPED compose test: " + why);
            Assumptions.abort(why);
        }
        return exe;
    }

    /** {@code docker-compose -f F1 [-f F2...] config} in dir (which holds the files and the .env). */
    static Result config(Path dir, List<String> files) {
        List<String> cmd = new ArrayList<>();
        cmd.add(require());
        for (String f : files) {
            cmd.add("-f");
            cmd.add(f);
        }
        cmd.add("config");
        return run(dir, cmd);
    }

    static Result run(Path dir, List<String> cmd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
            Map<String, String> env = pb.environment();
            env.remove("COMPOSE_FILE");
            env.remove("COMPOSE_PROJECT_NAME");
            env.remove("AVAILABLE_MEMORY_FOR_DASK");
            env.put("PWD", dir.toString());
            Path out = Files.createTempFile("compose", ".out");
            Path err = Files.createTempFile("compose", ".err");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "", "timed out: " + String.join(" ", cmd));
            }
            Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
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
}
