package io.headroom.engine.fix;

import io.headroom.compose.ComposeEditor;
import io.headroom.compose.ComposeSource;
import io.headroom.compose.EditRequest;
import io.headroom.compose.EditResult;
import io.headroom.compose.MemoryValue;
import io.headroom.compose.ReservationPolicy;
import io.headroom.model.Sha256;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** Real compose projects in a directory and the plans the real editor makes for them. */
public final class PlanFixtures {
    /** A Dask worker service without a memory limit, with comments and an anchor that must survive. */
    public static final String COMPOSE = """
            # Dask on one VM (test project)
            version: "2.4"
            x-common: &common
              image: localhost/headroom-dask:2022.12.1
              volumes:
                - /usr:/usr:ro
            services:
              scheduler:
                <<: *common
                command: ["dask-scheduler"]
              worker:
                <<: *common
                command: ["dask-worker", "tcp://scheduler:8786"]   # no memory limit: the OOM killer's favourite
            """;

    private PlanFixtures() {
    }

    /** Writes {@link #COMPOSE} to {@code dir/docker-compose.yml} (0640) and returns the plan for {@code bytes}. */
    public static FixPlan project(Path dir, String target, long bytes, boolean envMode) throws IOException {
        Path file = dir.resolve("docker-compose.yml");
        Files.writeString(file, COMPOSE, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        return plan(dir, target, bytes, envMode);
    }

    /** The plan for the compose file currently in {@code dir}, as a scan would have made it. */
    public static FixPlan plan(Path dir, String target, long bytes, boolean envMode) throws IOException {
        return plan(dir, target, bytes, envMode, java.util.function.UnaryOperator.identity());
    }

    /**
     * The plan for the compose file in {@code dir} as a scan would have made it from the text the
     * probe sent: {@code sent} of the file (the probe's masking, decision 0019); the hash is the real file's.
     */
    public static FixPlan plan(Path dir, String target, long bytes, boolean envMode, java.util.function.UnaryOperator<String> sent)
            throws IOException {
        Path file = dir.resolve("docker-compose.yml");
        String text = Files.readString(file, StandardCharsets.UTF_8);
        EditResult r = ComposeEditor.edit(new EditRequest(List.of(new ComposeSource(file.toString(), sent.apply(text), false)),
                Set.of("worker"), envMode ? MemoryValue.env() : MemoryValue.bytes(bytes), ReservationPolicy.REMOVE));
        EditResult.Edited e = (EditResult.Edited) r;
        return new FixPlan(target, "hrtest", dir.toString(), List.of(file.toString()), List.of("worker"), bytes, envMode,
                e.changedFiles(), List.of(Sha256.hex(text)), e.notes(), null);
    }

    /** What the probe sends of a text whose secret values all start with {@code hunter2-} (as ProbeMaskTest shows). */
    public static String masked(String real) {
        return real.replaceAll("hunter2-[a-z]+", io.headroom.model.Masked.MARKER);
    }

    /** A compose project whose worker has secrets in its command and environment (values {@code hunter2-…}). */
    public static final String COMPOSE_WITH_SECRETS = """
            services:
              worker:
                image: localhost/headroom-dask:2022.12.1
                command: ["dask-worker", "tcp://scheduler:8786", "--password", "hunter2-flow"]
                environment:
                  DB_PASSWORD: hunter2-env
                  DATABASE_URL: postgres://dask:hunter2-url@db/dask
                  LOG_LEVEL: info
            """;

    /** Files in {@code dir} whose names match Headroom's temporary-file pattern. */
    public static List<Path> temporaries(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.filter(p -> Pusher.TEMP.matcher(p.getFileName().toString()).matches()).toList();
        }
    }

    /** Headroom backups in {@code dir}. */
    public static List<Path> backups(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.filter(p -> Pusher.BACKUP.matcher(p.getFileName().toString()).matches()).sorted().toList();
        }
    }
}
