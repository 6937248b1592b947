package io.headroom.cli;

import io.headroom.engine.FixtureRunners;
import io.headroom.engine.ScanEngine;
import io.headroom.engine.inventory.Settings;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code headroom fix} argument handling and read-only refusal, on a lab capture (nothing is written). */
class HeadroomCliFixTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private HeadroomCli cli() {
        return new HeadroomCli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ScanEngine(FixtureRunners.of(Map.of("vm", "/fixtures/lab/s1-no-limit.txt")), "t"));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void withoutApplyItPrintsDiffsAndExitsWithTheFindingsCode() {
        int code = cli().withSettings(() -> { throw new AssertionError("a dry run needs no settings"); }).run(new String[]{"fix", "vm"});
        assertEquals(ExitCode.FINDINGS, code, err());
        assertTrue(out().contains("# vm: compose project hr-s1"), out());
        assertTrue(out().contains("+    mem_limit: ${AVAILABLE_MEMORY_FOR_DASK:-0}"), out());
        assertTrue(out().contains("+AVAILABLE_MEMORY_FOR_DASK="), out());
    }

    @Test
    void literalModeAndProjectFilter() {
        int code = cli().run(new String[]{"fix", "--mode", "literal", "--project", "no-such-project", "vm"});
        assertEquals(ExitCode.FINDINGS, code);
        assertTrue(out().contains("# nothing to fix"), out());
    }

    @Test
    void readOnlyModeRefusesApplyAndRollback() {
        for (String action : new String[]{"--apply", "--rollback"}) {
            out.reset();
            err.reset();
            int code = cli().withSettings(() -> new Settings(true, "HEADROOM_READ_ONLY=1")).run(new String[]{"fix", action, "vm"});
            assertEquals(ExitCode.USAGE, code);
            assertTrue(err().contains("read-only mode is on (HEADROOM_READ_ONLY=1): nothing was written and nothing restarted"), err());
            assertEquals("", out(), "no scan, no diff, no push");
        }
    }

    @Test
    void restartNeedsApplyOrRollbackAndTheyExcludeEachOther() {
        assertEquals(ExitCode.USAGE, cli().run(new String[]{"fix", "--restart", "vm"}));
        assertTrue(err().contains("--restart needs --apply or --rollback"), err());
        err.reset();
        assertEquals(ExitCode.USAGE, cli().run(new String[]{"fix", "--apply", "--rollback", "vm"}));
        assertTrue(err().contains("cannot be combined"), err());
    }

    @Test
    void toNeedsRollbackAndBackupsOnlyLists() {
        assertEquals(ExitCode.USAGE, cli().run(new String[]{"fix", "--to", "/srv/p/docker-compose.yml.headroom-20261201T100000Z.bak", "vm"}));
        assertTrue(err().contains("--to needs --rollback"), err());
        err.reset();
        assertEquals(ExitCode.USAGE, cli().run(new String[]{"fix", "--backups", "--rollback", "vm"}));
        assertTrue(err().contains("--backups only lists"), err());
        err.reset();
        assertEquals(ExitCode.USAGE, cli().run(new String[]{"fix", "--rollback", "--to"}));
    }

    @Test
    void settingsRejectsUnknownArguments() {
        assertEquals(ExitCode.USAGE, cli().run(new String[]{"settings", "read-only", "maybe"}));
        assertTrue(err().contains("'read-only on' / 'read-only off'"), err());
    }

    @Test
    void whatIfShowsNowAndAfterAndChangesNothing() {
        int code = cli().withSettings(() -> { throw new AssertionError("what-if reads no settings"); })
                .run(new String[]{"fix", "--what-if", "2GiB", "--project", "hr-s1", "vm"});
        String o = out();
        assertTrue(o.contains("# what if: vm: hr-s1_worker_1 (project hr-s1, service worker) with mem_limit 2147483648"), o);
        assertTrue(o.matches("(?s).*#   cgroup limit +none +2\\.00 GiB \\(2,147,483,648 bytes\\).*"), o);
        assertTrue(o.contains("NO_LIMIT (critical)"), o);
        assertTrue(o.contains("# nothing was changed"), o);
        assertFalse(o.contains("+++"), "no diff: " + o);
        assertEquals(ExitCode.HEALTHY, code, "the exit code the VM would have: with 2 GiB no warning is left");
        err.reset();
        assertEquals(ExitCode.USAGE, cli().run(new String[]{"fix", "--what-if", "2GiB", "--apply", "vm"}));
        assertTrue(err().contains("--what-if changes nothing: it cannot be combined with --apply or --rollback"), err());
    }
}
