package io.headroom.engine.fix;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How a backup's pusher reads in the wizard's History pane and {@code headroom fix --list-backups}. */
class BackupInfoTest {
    private static FixService.BackupInfo info(String time, String by, String at) {
        return new FixService.BackupInfo("/srv/dask/docker-compose.yml", "/srv/dask/docker-compose.yml.headroom-X.bak", time,
                "8ec085eec286", by, at);
    }

    @Test
    void thePushTimeIsShownOnlyWhenItIsNotTheBackupsOwn() {
        // one push writes the backup and the audit line within a second: the time is said once
        assertEquals("pushed by root", info("2026-12-06T07:17:27Z", "root", "2026-12-06T07:17:26.660850000Z").pushedText());
        assertEquals("pushed by ops at 2026-12-06T09:00:00Z",
                info("2026-12-06T07:17:27Z", "ops", "2026-12-06T09:00:00.123Z").pushedText());
        assertEquals("pushed by ops at yesterday", info("2026-12-06T07:17:27Z", "ops", "yesterday").pushedText(),
                "a time that does not parse is shown as the audit log has it");
        assertEquals("no push in this machine's audit log", info("2026-12-06T07:17:27Z", null, null).pushedText());
    }
}
