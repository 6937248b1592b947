package io.headroom.ui;

import io.headroom.engine.FixtureRunners;
import io.headroom.engine.ScanEngine;
import io.headroom.engine.ScanOptions;
import io.headroom.engine.fix.AuditLog;
import io.headroom.engine.fix.FixService;
import io.headroom.engine.fix.RootedAccess;
import io.headroom.engine.inventory.Settings;
import io.headroom.model.HostReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fix wizard's ViewModel on a real lab capture (a worker without a limit), without the FX thread. */
class FixWizardViewModelTest {
    @TempDir
    Path dir;

    private static final ScanEngine ENGINE = new ScanEngine(FixtureRunners.of(Map.of("vm", "/fixtures/lab/s1-no-limit.txt")), "t");

    private static HostReport host() throws Exception {
        return ENGINE.scanOne("vm", ScanOptions.DEFAULTS);
    }

    private FixWizardViewModel wizard(RootedAccess access, boolean readOnly, String offline) throws Exception {
        FixService service = new FixService(access, ENGINE, ScanOptions.DEFAULTS, new AuditLog(dir.resolve("audit.jsonl")),
                new Settings(readOnly, readOnly ? "test setting" : "default"));
        return new FixWizardViewModel(List.of(host()), service, BackgroundExecutor.synchronous(), offline);
    }

    @Test
    void showsTheEnvModeDiffAndCanApply() throws Exception {
        FixWizardViewModel vm = wizard(new RootedAccess(dir.resolve("vm")), false, null);
        assertFalse(vm.plans().isEmpty());
        FixWizardViewModel.PlanItem p = vm.plans().stream().filter(x -> x.plan().project().equals("hr-s1")).findFirst().orElseThrow();
        assertTrue(p.diff().contains("+    mem_limit: ${AVAILABLE_MEMORY_FOR_DASK:-0}") || p.diff().contains("mem_limit: ${AVAILABLE_MEMORY_FOR_DASK:-0}"),
                p.diff());
        assertTrue(p.diff().contains("AVAILABLE_MEMORY_FOR_DASK=" + p.plan().bytes()), p.diff());
        assertTrue(p.title().contains("hr-s1") && p.title().contains("GiB"), p.title());
        assertNull(vm.disabledReasonProperty().get());
    }

    @Test
    void literalModeAndALargerReserveGiveSmallerBytesInTheFile() throws Exception {
        FixWizardViewModel vm = wizard(new RootedAccess(dir.resolve("vm")), false, null);
        long before = vm.plans().get(0).plan().bytes();
        vm.modeProperty().set(FixWizardViewModel.Mode.LITERAL);
        assertTrue(vm.plans().get(0).diff().contains("mem_limit: " + before), vm.plans().get(0).diff());
        vm.reserveProperty().set("8 GiB");
        vm.replan();
        long after = vm.plans().get(0).plan().bytes();
        assertTrue(after < before, before + " → " + after);
        assertTrue(vm.plans().get(0).diff().contains("mem_limit: " + after));
    }

    /** Issue 16: the wizard recommends exactly the bytes the finding says, though its reserve field shows a rounded size. */
    @Test
    void theWizardRecommendsTheFindingsBytesToTheByte() throws Exception {
        HostReport h = host();
        long finding = h.findings().stream().filter(f -> f.code() == io.headroom.model.FindingCode.NO_LIMIT).findFirst().orElseThrow()
                .recommendedLimitBytes();
        FixWizardViewModel vm = wizard(new RootedAccess(dir.resolve("vm")), false, null);
        assertEquals(io.headroom.model.Bytes.human(h.reserveBytes()), vm.reserveProperty().get(), "the field shows the rounded reserve");
        assertTrue(h.reserveBytes() % (1L << 20) != 0, "the capture's reserve is not whole MiB, so rounding would show: " + h.reserveBytes());
        FixWizardViewModel.PlanItem p = vm.plans().stream().filter(x -> x.plan().project().equals("hr-s1")).findFirst().orElseThrow();
        assertEquals(finding, p.plan().bytes());
        vm.replan();
        assertEquals(finding, vm.plans().stream().filter(x -> x.plan().project().equals("hr-s1")).findFirst().orElseThrow().plan().bytes());
    }

    @Test
    void anUnreadableReserveIsExplainedAndDisablesApply() throws Exception {
        FixWizardViewModel vm = wizard(new RootedAccess(dir.resolve("vm")), false, null);
        vm.reserveProperty().set("lots");
        vm.replan();
        assertTrue(vm.reserveErrorProperty().get().contains("Cannot read 'lots'"));
        assertEquals(vm.reserveErrorProperty().get(), vm.disabledReasonProperty().get());
    }

    @Test
    void readOnlyModeDisablesApplyAndRollbackAndTouchesNothing() throws Exception {
        RootedAccess access = new RootedAccess(dir.resolve("vm"));
        FixWizardViewModel vm = wizard(access, true, null);
        assertTrue(vm.disabledReasonProperty().get().startsWith("Read-only mode is on (test setting)"), vm.disabledReasonProperty().get());
        assertFalse(vm.plans().isEmpty(), "the diffs are still shown for review");
        vm.apply();
        vm.rollback();
        assertEquals(0, access.opened().get());
        assertTrue(vm.results().isEmpty());
    }

    @Test
    void aSnapshotCanBeReviewedButNotPushed() throws Exception {
        RootedAccess access = new RootedAccess(dir.resolve("vm"));
        FixWizardViewModel vm = wizard(access, false, "This is a snapshot");
        assertEquals("This is a snapshot", vm.disabledReasonProperty().get());
        vm.apply();
        assertEquals(0, access.opened().get());
    }

    @Test
    void applyPushesTheEditAndTheDotEnvAndSaysWhenItTakesEffect() throws Exception {
        RootedAccess access = new RootedAccess(dir.resolve("vm"));
        HostReport h = host();
        for (var f : h.facts().composeFiles().values()) {
            java.nio.file.Files.createDirectories(access.onVm(f.path()).getParent());
            java.nio.file.Files.writeString(access.onVm(f.path()), f.content());
        }
        FixWizardViewModel vm = wizard(access, false, null);
        FixWizardViewModel.PlanItem p = vm.plans().stream().filter(x -> x.plan().project().equals("hr-s1")).findFirst().orElseThrow();
        vm.plans().setAll(p);
        vm.apply();
        assertEquals(1, vm.results().size(), vm.progress().toString());
        FixWizardViewModel.ResultItem r = vm.results().get(0);
        assertTrue(r.ok(), r.lines().toString());
        assertTrue(r.lines().stream().anyMatch(l -> l.startsWith("Takes effect when the services are recreated")), r.lines().toString());
        String compose = java.nio.file.Files.readString(access.onVm(p.plan().edits().get(0).path()));
        assertEquals(p.plan().edits().get(0).after(), compose);
        assertEquals("AVAILABLE_MEMORY_FOR_DASK=" + p.plan().bytes() + "\n",
                java.nio.file.Files.readString(access.onVm(p.plan().workingDir() + "/.env")));
        assertEquals("1 of 1 plan(s) applied.", vm.statusProperty().get());
    }

    @Test
    void aFailedPushIsReportedPerPlanWithTheReason() throws Exception {
        // the rooted VM has no compose file at the captured path
        RootedAccess access = new RootedAccess(dir.resolve("vm"));
        FixWizardViewModel vm = wizard(access, false, null);
        vm.apply();
        assertTrue(access.opened().get() >= 1);
        assertFalse(vm.busyProperty().get());
        assertFalse(vm.results().isEmpty());
        FixWizardViewModel.ResultItem r = vm.results().get(0);
        assertFalse(r.ok());
        assertTrue(r.lines().stream().anyMatch(l -> l.startsWith("NOT applied")), r.lines().toString());
        assertTrue(vm.statusProperty().get().startsWith("0 of "), vm.statusProperty().get());
        assertTrue(vm.progress().stream().anyMatch(l -> l.contains("pushing")), vm.progress().toString());
    }

    private static void putComposeFilesOnTheVm(RootedAccess access, HostReport h) throws Exception {
        for (var f : h.facts().composeFiles().values()) {
            java.nio.file.Files.createDirectories(access.onVm(f.path()).getParent());
            java.nio.file.Files.writeString(access.onVm(f.path()), f.content());
        }
    }

    /** Decision 0021 in the window: the history lists the push's backup and puts it back, never over another edit. */
    @Test
    void theHistoryListsTheBackupAndRollsBackToItOnlyOverWhatHeadroomWrote() throws Exception {
        RootedAccess access = new RootedAccess(dir.resolve("vm"));
        HostReport h = host();
        putComposeFilesOnTheVm(access, h);
        FixWizardViewModel vm = wizard(access, false, null);
        FixWizardViewModel.PlanItem p = vm.plans().stream().filter(x -> x.plan().project().equals("hr-s1")).findFirst().orElseThrow();
        String path = p.plan().edits().get(0).path();
        String pushed = p.plan().edits().get(0).after();
        vm.plans().setAll(p);
        vm.apply();
        assertTrue(vm.results().get(0).ok(), vm.results().toString());
        assertEquals("Choose a backup", vm.rollbackToDisabledReason());

        vm.loadBackups();
        FixWizardViewModel.BackupItem b = vm.backups().stream().filter(x -> x.info().file().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError(vm.historyStatusProperty().get() + " " + vm.backups()));
        assertEquals(h.facts().composeFiles().get(path).sha256(), b.info().sha256(), "the backup holds the scanned file");
        assertEquals(System.getProperty("user.name"), b.info().pushedBy());
        assertTrue(b.label().startsWith(b.info().time() + "  vm:" + path + "  sha256 " + b.info().sha256().substring(0, 12) + "…  pushed by "
                + System.getProperty("user.name")) && !b.label().contains(" at "), "the push's time is the backup's: said once; " + b.label());
        assertTrue(vm.historyStatusProperty().get().endsWith("backup(s), newest first per file."), vm.historyStatusProperty().get());

        // edited on the VM after Headroom's push: refused, the file keeps the edit
        String edited = pushed + "# changed by hand\n";
        java.nio.file.Files.writeString(access.onVm(path), edited);
        vm.selectedBackupProperty().set(b);
        assertNull(vm.rollbackToDisabledReason());
        vm.rollbackToSelected();
        assertEquals(1, vm.results().size());
        FixWizardViewModel.ResultItem refused = vm.results().get(0);
        assertFalse(refused.ok());
        assertTrue(refused.lines().stream().anyMatch(l -> l.contains(path + " on vm is not the file Headroom wrote there")),
                refused.lines().toString());
        assertEquals("Not rolled back: see the result below.", vm.statusProperty().get());
        assertEquals(edited, java.nio.file.Files.readString(access.onVm(path)));
        assertNull(vm.selectedBackupProperty().get(), "the list was read again");

        // the file is Headroom's again: the chosen backup goes back
        java.nio.file.Files.writeString(access.onVm(path), pushed);
        vm.selectedBackupProperty().set(vm.backups().stream().filter(x -> x.info().backup().equals(b.info().backup())).findFirst().orElseThrow());
        vm.rollbackToSelected();
        FixWizardViewModel.ResultItem restored = vm.results().get(0);
        assertTrue(restored.ok(), restored.lines().toString());
        assertEquals(List.of("restored " + path + " from " + b.info().backup()), restored.lines());
        assertEquals("vm — project hr-s1: rollback", restored.title());
        assertEquals(h.facts().composeFiles().get(path).content(), java.nio.file.Files.readString(access.onVm(path)));
        assertEquals("Restored " + path + " from " + b.info().backup() + ".", vm.statusProperty().get());
        assertFalse(vm.busyProperty().get());
    }

    @Test
    void readOnlyModeListsTheHistoryButRollsNothingBack() throws Exception {
        RootedAccess access = new RootedAccess(dir.resolve("vm"));
        putComposeFilesOnTheVm(access, host());
        FixWizardViewModel vm = wizard(access, true, null);
        vm.loadBackups();
        assertEquals("No Headroom backup on vm.", vm.historyStatusProperty().get());
        vm.selectedBackupProperty().set(new FixWizardViewModel.BackupItem("vm", new FixService.BackupInfo("/f", "/f.headroom-20261201T000000Z.bak",
                "2026-12-01T00:00:00Z", "ab", null, null)));
        assertEquals("Read-only mode is on (test setting)", vm.rollbackToDisabledReason());
        vm.rollbackToSelected();
        assertTrue(vm.results().isEmpty());

        FixWizardViewModel snapshot = wizard(access, false, "This is a snapshot");
        int opened = access.opened().get();
        snapshot.loadBackups();
        assertEquals("No history to list: This is a snapshot", snapshot.historyStatusProperty().get());
        assertEquals(opened, access.opened().get(), "a snapshot has no VM to ask");
    }
}
