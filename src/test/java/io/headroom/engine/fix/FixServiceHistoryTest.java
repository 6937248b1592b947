package io.headroom.engine.fix;

import io.headroom.engine.FixtureRunners;
import io.headroom.engine.ScanEngine;
import io.headroom.engine.ScanOptions;
import io.headroom.engine.inventory.Settings;
import io.headroom.model.HostReport;
import io.headroom.model.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code headroom fix --backups} and {@code --rollback --to} through FixService on the s1 lab capture, the
 * VM being a temporary directory ({@link RootedAccess}): the listed backup carries its time, hash and the
 * operator who pushed it; putting it back restores the scanned file.
 */
class FixServiceHistoryTest {
    private static final ScanEngine ENGINE = new ScanEngine(FixtureRunners.of(Map.of("vm", "/fixtures/lab/s1-no-limit.txt")), "t");
    @TempDir
    Path dir;

    private FixService service(RootedAccess access, boolean readOnly) {
        return new FixService(access, ENGINE, ScanOptions.DEFAULTS, new AuditLog(dir.resolve("audit.jsonl")),
                new Settings(readOnly, readOnly ? "test setting" : "default"));
    }

    @Test
    void listsTheBackupOfAPushAndPutsItBack() throws Exception {
        RootedAccess access = new RootedAccess(dir.resolve("vm"));
        HostReport h = ENGINE.scanOne("vm", ScanOptions.DEFAULTS);
        for (var f : h.facts().composeFiles().values()) {
            Files.createDirectories(access.onVm(f.path()).getParent());
            Files.writeString(access.onVm(f.path()), f.content());
        }
        FixPlan plan = FixPlanner.plan(h, false).stream().filter(p -> p.project().equals("hr-s1")).findFirst().orElseThrow();
        String path = plan.edits().get(0).path();
        FixService service = service(access, false);
        assertNull(service.apply(plan, false, null, line -> { }).error());

        List<FixService.BackupInfo> backups = service.backups(h, "hr-s1");
        assertEquals(1, backups.size(), backups.toString());
        FixService.BackupInfo b = backups.get(0);
        assertEquals(path, b.file());
        assertTrue(b.backup().startsWith(path + ".headroom-"), b.backup());
        assertEquals(h.facts().composeFiles().get(path).sha256(), b.sha256(), "the backup is the scanned file");
        assertEquals(System.getProperty("user.name"), b.pushedBy());
        assertTrue(b.time().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), b.time());

        FixService.RollbackOutcome o = service.rollbackTo(h, b.backup(), false, line -> { });
        assertNull(o.error(), o.error());
        assertEquals("hr-s1", o.project().project());
        assertEquals(b.sha256(), Sha256.hex(Files.readAllBytes(access.onVm(path))));

        FixService.RollbackOutcome missing = service.rollbackTo(h, path + ".headroom-20000101T000000Z.bak", false, line -> { });
        assertTrue(missing.error().contains("no backup"), missing.error());
        assertThrows(FixService.ReadOnlyException.class, () -> service(access, true).rollbackTo(h, b.backup(), false, line -> { }));
    }
}
