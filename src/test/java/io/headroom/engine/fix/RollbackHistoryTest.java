package io.headroom.engine.fix;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rollback through history ({@code headroom fix --rollback --to BACKUP}, {@code --backups}): three pushes
 * keep three backups; any of them can be put back, but only over the file Headroom last wrote.
 * This machine's files and docker compose.
 */
class RollbackHistoryTest {
    private static final long GIB = 1L << 30;
    @TempDir
    Path dir;
    private AuditLog audit;
    private Path compose;
    private List<String> afterEach;

    private Pusher pusher(String at) {
        return new Pusher(new LocalVmFiles(), audit, "local", false, Clock.fixed(Instant.parse(at), ZoneOffset.UTC));
    }

    @BeforeEach
    void threePushes() throws Exception {
        audit = new AuditLog(dir.resolve("audit/audit.jsonl"));
        compose = dir.resolve("docker-compose.yml");
        PlanFixtures.project(dir, "local", GIB, false);
        String[] times = {"2026-12-01T10:00:00Z", "2026-12-02T10:00:00Z", "2026-12-03T10:00:00Z"};
        afterEach = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            pusher(times[i]).apply(PlanFixtures.plan(dir, "local", (i + 2) * GIB, false));
            afterEach.add(Files.readString(compose));
        }
    }

    @Test
    void backupsAreListedNewestFirstWithTheirTime() throws Exception {
        List<String> backups = pusher("2026-12-05T00:00:00Z").backups(compose.toString());
        assertEquals(List.of(compose + ".headroom-20261203T100000Z.bak", compose + ".headroom-20261202T100000Z.bak",
                compose + ".headroom-20261201T100000Z.bak"), backups);
        assertEquals("2026-12-03T10:00:00Z", Pusher.stampOf(backups.get(0)));
        assertEquals(compose.toString(), Pusher.originalOf(backups.get(2)));
        assertNull(Pusher.originalOf(compose.toString()), "not a backup name");
        assertEquals(PlanFixtures.COMPOSE, Files.readString(Path.of(backups.get(2))), "the oldest backup is the original");
        assertEquals(afterEach.get(1), Files.readString(Path.of(backups.get(0))));
    }

    @Test
    void anyBackupCanBePutBackOverWhatHeadroomWrote() throws Exception {
        String oldest = compose + ".headroom-20261201T100000Z.bak";
        Pusher.Step s = pusher("2026-12-05T00:00:00Z").rollbackTo(oldest);
        assertEquals("ok", s.result());
        assertEquals(PlanFixtures.COMPOSE, Files.readString(compose));
        // the rollback is now what Headroom last wrote: another backup may follow it
        pusher("2026-12-05T00:01:00Z").rollbackTo(compose + ".headroom-20261202T100000Z.bak");
        assertEquals(afterEach.get(0), Files.readString(compose));
        assertEquals(List.of("apply", "apply", "apply", "rollback", "rollback"),
                audit.entries().stream().map(AuditLog.Entry::action).toList());
    }

    @Test
    void aFileHeadroomDidNotWriteIsNeverRolledBack() throws Exception {
        String edited = afterEach.get(2).replace("# Dask on one VM", "# Dask on one VM, edited by hand");
        Files.writeString(compose, edited);
        IOException e = assertThrows(IOException.class,
                () -> pusher("2026-12-05T00:00:00Z").rollbackTo(compose + ".headroom-20261201T100000Z.bak"));
        assertTrue(e.getMessage().contains("is not the file Headroom wrote there"), e.getMessage());
        assertEquals(edited, Files.readString(compose));
        AuditLog.Entry last = audit.entries().get(audit.entries().size() - 1);
        assertTrue(last.result().startsWith("refused:"), last.result());
    }

    @Test
    void withoutAnAuditRecordTheRollbackIsRefused() throws Exception {
        audit = new AuditLog(dir.resolve("another-machine/audit.jsonl"));
        IOException e = assertThrows(IOException.class,
                () -> pusher("2026-12-05T00:00:00Z").rollbackTo(compose + ".headroom-20261201T100000Z.bak"));
        assertTrue(e.getMessage().contains("has no push by Headroom to " + compose), e.getMessage());
        assertEquals(afterEach.get(2), Files.readString(compose));
        IOException notBackup = assertThrows(IOException.class, () -> pusher("2026-12-05T00:00:00Z").rollbackTo(compose.toString()));
        assertTrue(notBackup.getMessage().contains("is not a Headroom backup"), notBackup.getMessage());
    }
}
