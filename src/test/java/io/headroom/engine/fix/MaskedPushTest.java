package io.headroom.engine.fix;

import io.headroom.compose.ComposeEditor;
import io.headroom.compose.ComposeSource;
import io.headroom.compose.EditRequest;
import io.headroom.compose.EditResult;
import io.headroom.compose.MemoryValue;
import io.headroom.compose.ReservationPolicy;
import io.headroom.model.Masked;
import io.headroom.model.Sha256;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Secrets stay on the VM and the push still works (decision 0019): the plan is made on the text the
 * scan received, with secret values masked, and the push applies the same edit to the real file it
 * re-reads, checked by hash. And pushes cannot race (decision 0020): the rename happens under the
 * directory's flock after the hash is checked again. This machine's files and docker compose.
 */
class MaskedPushTest {
    private static final long BYTES = 3L * 1024 * 1024 * 1024;
    private static final String REAL = PlanFixtures.COMPOSE_WITH_SECRETS;
    @TempDir
    Path dir;
    private AuditLog audit;
    private Path compose;

    @BeforeEach
    void setUp() throws IOException {
        audit = new AuditLog(dir.resolve("audit/audit.jsonl"));
        compose = dir.resolve("docker-compose.yml");
        Files.writeString(compose, REAL);
    }

    private static String masked(String real) {
        return PlanFixtures.masked(real);
    }

    private FixPlan plan(String scanned, long bytes) throws IOException {
        Files.writeString(compose, scanned);
        return PlanFixtures.plan(dir, "local", bytes, false, PlanFixtures::masked);
    }

    private Pusher pusher(VmFiles vm) {
        return new Pusher(vm, audit, "local", false);
    }

    @Test
    void theEditMadeOnMaskedTextIsAppliedToTheRealFile() throws Exception {
        FixPlan plan = plan(REAL, BYTES);
        assertFalse(plan.diff().contains("hunter2"), "the plan and its diff never hold the secrets");
        pusher(new LocalVmFiles()).apply(plan);
        String now = Files.readString(compose);
        assertTrue(now.contains("mem_limit: " + BYTES), now);
        for (String secret : List.of("hunter2-flow", "hunter2-env", "hunter2-url")) {
            assertTrue(now.contains(secret), "the real value stays: " + secret);
        }
        assertFalse(now.contains(Masked.MARKER), now);
        assertEquals(masked(now), plan.edits().get(0).after(), "the real file is the plan's text with the real values");
    }

    @Test
    void anEditThatWouldRewriteAMaskedLineIsRefused() {
        String real = "x:\n  command: dask worker --password hunter2-a --memory-limit 2G\n";
        String before = masked(real);
        String after = before.replace("2G", "3G");
        MaskedEdit.Refused r = assertThrows(MaskedEdit.Refused.class, () -> MaskedEdit.apply(real, before, after));
        assertTrue(r.getMessage().contains("masked on the VM"), r.getMessage());
        // an added line carrying the marker would write the marker to the VM
        assertThrows(MaskedEdit.Refused.class, () -> MaskedEdit.apply(real, before, before + "y: " + Masked.MARKER + "\n"));
        // a real file that does not line up with the scanned text
        assertThrows(MaskedEdit.Refused.class, () -> MaskedEdit.apply(real + "z: 1\n", before, after));
        assertThrows(MaskedEdit.Refused.class, () -> MaskedEdit.apply(real.replace("x:", "w:"), before, after));
    }

    @Test
    void unmaskedLinesAroundAMaskedOneAreEditedAndTheFinalNewlineFollowsTheRealFile() throws Exception {
        String real = "a: 1\npassword: hunter2-x\nb: 2";
        String before = masked(real) + "\n";
        String after = "a: 1\npassword: " + Masked.MARKER + "\nb: 3\nc: 4\n";
        assertEquals("a: 1\npassword: hunter2-x\nb: 3\nc: 4", MaskedEdit.apply(real, before, after));
    }

    @Test
    void aPushIsRefusedWhileAnotherHoldsTheLock() throws Exception {
        FixPlan plan = plan(REAL, BYTES);
        Process holder = new ProcessBuilder("sh", "-c", "exec 9>>\"$1\"; flock 9; echo locked; exec sleep 60", "sh",
                dir.resolve(Pusher.LOCK_NAME).toString()).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("locked", r.readLine());
            long t0 = System.nanoTime();
            IOException e = assertThrows(IOException.class, () -> pusher(new LocalVmFiles()).lockWait(2).apply(plan));
            assertTrue(e.getMessage().contains("another push holds the lock " + dir.resolve(Pusher.LOCK_NAME)), e.getMessage());
            assertTrue(Duration.ofNanos(System.nanoTime() - t0).toSeconds() < 30);
        } finally {
            holder.destroyForcibly();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
        assertEquals(REAL, Files.readString(compose), "nothing replaced");
        assertEquals(List.of(), PlanFixtures.backups(dir), "the refused attempt leaves no backup");
        assertEquals(List.of(), PlanFixtures.temporaries(dir));
        AuditLog.Entry last = audit.entries().get(audit.entries().size() - 1);
        assertTrue(last.result().startsWith("refused: another push holds the lock"), last.result());
        // once the lock is free the same plan goes through
        pusher(new LocalVmFiles()).apply(plan);
        assertTrue(Files.readString(compose).contains("mem_limit: " + BYTES));
    }

    /** {@link LocalVmFiles} on a VM without {@code flock}: the lock command runs with a PATH that has no flock. */
    private static final class NoFlock extends VmFilesDelegate {
        NoFlock() {
            super(new LocalVmFiles());
        }

        @Override
        public Held hold(String command, Duration timeout) throws IOException {
            return super.hold("PATH=/nonexistent-headroom-bin; " + command, timeout);
        }
    }

    @Test
    void withoutFlockOnTheVmThePushSaysSoInOneSentence() throws Exception {
        FixPlan plan = plan(REAL, BYTES);
        IOException e = assertThrows(IOException.class, () -> pusher(new NoFlock()).apply(plan));
        assertEquals("local has no flock command (package util-linux), which a push needs to lock " + dir.resolve(Pusher.LOCK_NAME)
                + " against another push; nothing was changed. Install util-linux on local and push again", e.getMessage());
        assertEquals(REAL, Files.readString(compose), "nothing replaced");
        assertEquals(List.of(), PlanFixtures.backups(dir));
        assertEquals(List.of(), PlanFixtures.temporaries(dir));
        assertTrue(audit.entries().get(audit.entries().size() - 1).result().contains("no flock command"));
    }

    /** {@link LocalVmFiles} where someone edits the file just before the push renames its new content over it. */
    private static final class EditBeforeRename extends VmFilesDelegate {
        private final Path file;

        EditBeforeRename(Path file) {
            super(new LocalVmFiles());
            this.file = file;
        }

        @Override
        public Exec exec(String command, Duration timeout) throws IOException {
            if (command.contains("mv -f -- ")) {
                Files.writeString(file, REAL.replace("LOG_LEVEL: info", "LOG_LEVEL: debug"));
            }
            return super.exec(command, timeout);
        }
    }

    @Test
    void anEditBetweenTheCheckAndTheRenameIsNeverOverwritten() throws Exception {
        FixPlan plan = plan(REAL, BYTES);
        IOException e = assertThrows(IOException.class, () -> pusher(new EditBeforeRename(compose)).apply(plan));
        assertTrue(e.getMessage().contains("changed on local while this push was under way"), e.getMessage());
        assertEquals(REAL.replace("LOG_LEVEL: info", "LOG_LEVEL: debug"), Files.readString(compose), "the other edit stays");
        assertEquals(List.of(), PlanFixtures.backups(dir), "the refused attempt leaves no backup");
        assertEquals(List.of(), PlanFixtures.temporaries(dir));
    }

    @Test
    void twoConcurrentPushesOneWinsTheOtherIsRefusedWithTheReason() throws Exception {
        FixPlan small = plan(REAL, BYTES);
        FixPlan large = plan(REAL, 2 * BYTES);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<Pusher.Step>>> runs = new ArrayList<>();
            for (FixPlan p : List.of(small, large)) {
                runs.add(pool.submit(() -> pusher(new LocalVmFiles()).lockWait(60).apply(p)));
            }
            List<String> refusals = new ArrayList<>();
            int won = 0;
            for (Future<List<Pusher.Step>> f : runs) {
                try {
                    f.get(120, TimeUnit.SECONDS);
                    won++;
                } catch (java.util.concurrent.ExecutionException e) {
                    refusals.add(e.getCause().getMessage());
                }
            }
            assertEquals(1, won, refusals.toString());
            assertEquals(1, refusals.size());
            assertTrue(refusals.get(0).contains("changed on local since the scan"), refusals.get(0));
        } finally {
            pool.shutdownNow();
        }
        String now = Files.readString(compose);
        assertTrue(now.contains("mem_limit: " + BYTES + "\n") ^ now.contains("mem_limit: " + 2 * BYTES + "\n"),
                "the file is one complete version: " + now);
        assertEquals(1, PlanFixtures.backups(dir).size(), "one backup, of the push that happened");
        assertEquals(REAL, Files.readString(PlanFixtures.backups(dir).get(0)));
        assertEquals(List.of(), PlanFixtures.temporaries(dir));
    }
}
