package io.headroom.engine.fix;

import io.headroom.model.Sha256;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The push protocol on this machine's files ({@link LocalVmFiles}) with the real docker-compose as
 * the validator; the same protocol over SFTP to a real sshd is in PushOverSshIT.
 */
class PusherTest {
    private static final long BYTES = 3L * 1024 * 1024 * 1024;
    @TempDir
    Path dir;
    private AuditLog audit;
    private Path compose;

    @BeforeEach
    void setUp() {
        audit = new AuditLog(dir.resolve("audit/audit.jsonl"));
        compose = dir.resolve("docker-compose.yml");
    }

    private Pusher pusher(Instant now) {
        return new Pusher(new LocalVmFiles(), audit, "local", false, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void literalPushReplacesTheFileKeepsABackupAndAudits() throws Exception {
        FixPlan plan = PlanFixtures.project(dir, "local", BYTES, false);
        List<Pusher.Step> steps = pusher(Instant.parse("2026-11-27T04:05:06Z")).apply(plan);

        assertEquals(1, steps.size());
        String after = Files.readString(compose);
        assertEquals(plan.edits().get(0).after(), after);
        assertTrue(after.contains("mem_limit: " + BYTES), after);
        assertTrue(after.contains("# no memory limit: the OOM killer's favourite"), "comments survive");
        Path backup = dir.resolve("docker-compose.yml.headroom-20261127T040506Z.bak");
        assertEquals(backup.toString(), steps.get(0).backup());
        assertEquals(PlanFixtures.COMPOSE, Files.readString(backup));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(compose)), "mode kept");
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(backup)), "backup mode kept");
        assertEquals(List.of(), PlanFixtures.temporaries(dir));
        AuditLog.Entry e = audit.entries().get(audit.entries().size() - 1);
        assertEquals("apply", e.action());
        assertEquals("ok", e.result());
        assertEquals(Sha256.hex(PlanFixtures.COMPOSE), e.sha256Before());
        assertEquals(Sha256.hex(after), e.sha256After());
        assertEquals(backup.toString(), e.backup());
        assertEquals(System.getProperty("user.name"), e.user());
    }

    @Test
    void envModeWritesDotEnvFirstAndBacksUpTheEmptyOne() throws Exception {
        FixPlan plan = PlanFixtures.project(dir, "local", BYTES, true);
        List<Pusher.Step> steps = pusher(Instant.parse("2026-11-27T04:05:06Z")).apply(plan);
        assertEquals(List.of(dir + "/.env", compose.toString()), steps.stream().map(Pusher.Step::path).toList());
        assertEquals("AVAILABLE_MEMORY_FOR_DASK=" + BYTES + "\n", Files.readString(dir.resolve(".env")));
        assertTrue(Files.readString(compose).contains("mem_limit: ${AVAILABLE_MEMORY_FOR_DASK:-0}"));
        assertEquals("", Files.readString(dir.resolve(".env.headroom-20261127T040506Z.bak")), "no .env before: an empty backup");
    }

    @Test
    void aFileChangedSinceTheScanIsRefusedAndLeftAlone() throws Exception {
        FixPlan plan = PlanFixtures.project(dir, "local", BYTES, false);
        String edited = PlanFixtures.COMPOSE + "# someone edited this after the scan\n";
        Files.writeString(compose, edited);
        IOException e = assertThrows(IOException.class, () -> pusher(Instant.now()).apply(plan));
        assertTrue(e.getMessage().contains("changed on local since the scan"), e.getMessage());
        assertEquals(edited, Files.readString(compose));
        assertEquals(List.of(), PlanFixtures.backups(dir));
        assertEquals(List.of(), PlanFixtures.temporaries(dir));
        assertEquals("refused: changed since the scan", audit.entries().get(0).result());
    }

    @Test
    void composeOnTheVmRejectingTheNewFileLeavesTheOldOne() throws Exception {
        FixPlan good = PlanFixtures.project(dir, "local", BYTES, false);
        String broken = good.edits().get(0).after().replace("mem_limit: " + BYTES, "mem_limit: [unclosed");
        FixPlan bad = new FixPlan(good.target(), good.project(), good.workingDir(), good.files(), good.services(), good.bytes(),
                false, List.of(new io.headroom.compose.FileEdit(compose.toString(), 0, PlanFixtures.COMPOSE, broken, List.of())),
                good.shaBefore(), good.notes(), null);
        IOException e = assertThrows(IOException.class, () -> pusher(Instant.now()).apply(bad));
        assertTrue(e.getMessage().contains("rejects the new " + compose), e.getMessage());
        assertEquals(PlanFixtures.COMPOSE, Files.readString(compose));
        assertEquals(List.of(), PlanFixtures.backups(dir));
        assertEquals(List.of(), PlanFixtures.temporaries(dir));
    }

    @Test
    void rollbackRestoresTheNewestBackup() throws Exception {
        FixPlan plan = PlanFixtures.project(dir, "local", BYTES, false);
        pusher(Instant.parse("2026-11-27T04:05:06Z")).apply(plan);
        FixPlan second = PlanFixtures.plan(dir, "local", 2 * BYTES, false);
        String firstFix = Files.readString(compose);
        pusher(Instant.parse("2026-11-27T04:05:06Z")).apply(second); // same second: a -2 backup
        assertTrue(Files.exists(dir.resolve("docker-compose.yml.headroom-20261127T040506Z-2.bak")));

        Pusher p = pusher(Instant.now());
        assertEquals(dir + "/docker-compose.yml.headroom-20261127T040506Z-2.bak", p.newestBackup(compose.toString()).orElseThrow());
        List<Pusher.Step> steps = p.rollback(List.of(compose.toString(), dir + "/.env"));
        assertEquals(1, steps.size(), "no .env backup: skipped");
        assertEquals(firstFix, Files.readString(compose));
        assertEquals("rollback", audit.entries().get(audit.entries().size() - 1).action());
    }

    @Test
    void rollbackRefusesAFileChangedAfterThePush() throws Exception {
        FixPlan plan = PlanFixtures.project(dir, "local", BYTES, false);
        pusher(Instant.parse("2026-11-27T04:05:06Z")).apply(plan);
        String later = Files.readString(compose) + "# a later hand edit\n";
        Files.writeString(compose, later);
        IOException e = assertThrows(IOException.class, () -> pusher(Instant.now()).rollback(List.of(compose.toString())));
        assertTrue(e.getMessage().contains("changed after Headroom pushed it"), e.getMessage());
        assertEquals(later, Files.readString(compose));
    }

    @Test
    void backupNamesSortByTimeThenCounter() throws Exception {
        Files.writeString(compose, "x");
        for (String n : List.of("20261127T040506Z.bak", "20261127T040506Z-10.bak", "20261127T040506Z-9.bak", "20251231T235959Z-99.bak")) {
            Files.writeString(dir.resolve("docker-compose.yml.headroom-" + n), "b");
        }
        Files.writeString(dir.resolve("other.yml.headroom-20991231T000000Z.bak"), "b");
        assertEquals(dir + "/docker-compose.yml.headroom-20261127T040506Z-10.bak",
                pusher(Instant.now()).newestBackup(compose.toString()).orElseThrow());
        assertFalse(pusher(Instant.now()).newestBackup(dir.resolve("none.yml").toString()).isPresent());
    }

    @Test
    void temporariesOfAnInterruptedPushAreRemovedByTheNextOne() throws Exception {
        FixPlan plan = PlanFixtures.project(dir, "local", BYTES, false);
        Files.writeString(dir.resolve(".docker-compose.yml.headroom-0123456789ab.tmp"), "partial");
        Files.writeString(dir.resolve(".other.yml.headroom-0123456789ab.tmp"), "not ours to judge");
        pusher(Instant.now()).apply(plan);
        assertEquals(List.of(dir.resolve(".other.yml.headroom-0123456789ab.tmp")), PlanFixtures.temporaries(dir));
        assertTrue(audit.entries().stream().anyMatch(e -> e.action().equals("cleanup")));
    }

    @Test
    void auditLogSkipsUnreadableLines() throws Exception {
        Files.createDirectories(audit.file().getParent());
        Files.writeString(audit.file(), "not json\n{\"action\":\"apply\",\"result\":\"ok\"}\n[1]\n", StandardCharsets.UTF_8);
        assertEquals(1, audit.entries().size());
    }
}
