package io.headroom.ui;

import atlantafx.base.theme.PrimerLight;
import io.headroom.engine.FixtureRunners;
import io.headroom.engine.ScanEngine;
import io.headroom.engine.ScanOptions;
import io.headroom.engine.fix.AuditLog;
import io.headroom.engine.fix.FixService;
import io.headroom.engine.fix.RootedAccess;
import io.headroom.engine.inventory.Settings;
import io.headroom.model.HostReport;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rollback through history in the window (decision 0021), headless: after a push, List backups shows the push's
 * backup with its time, hash and who pushed it; choosing it and clicking Roll back to this backup puts the scanned
 * file back, through the same engine as {@code headroom fix --rollback --to}; a file edited after the push is not
 * overwritten. The VM is a temporary directory ({@link RootedAccess}), the audit log a temporary file.
 */
@ExtendWith(ApplicationExtension.class)
class FixWizardHistoryFxTest {
    private static final ScanEngine ENGINE = new ScanEngine(FixtureRunners.of(Map.of("vm", "/fixtures/lab/s1-no-limit.txt")), "t");
    @TempDir
    static Path dir;
    private RootedAccess access;
    private HostReport host;
    private FixWizardViewModel vm;
    private String path;
    private String pushed;

    @Start
    void start(Stage stage) throws Exception {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        Path root = Files.createTempDirectory(dir, "vm");
        access = new RootedAccess(root);
        host = ENGINE.scanOne("vm", ScanOptions.DEFAULTS);
        for (var f : host.facts().composeFiles().values()) {
            Files.createDirectories(access.onVm(f.path()).getParent());
            Files.writeString(access.onVm(f.path()), f.content());
        }
        FixService service = new FixService(access, ENGINE, ScanOptions.DEFAULTS, new AuditLog(root.resolveSibling(root.getFileName() + ".audit.jsonl")),
                new Settings(false, "default"));
        vm = new FixWizardViewModel(List.of(host), service, new FxBackgroundExecutor(), null);
        FixWizardViewModel.PlanItem p = vm.plans().stream().filter(x -> x.plan().project().equals("hr-s1")).findFirst().orElseThrow();
        vm.plans().setAll(p);
        path = p.plan().edits().get(0).path();
        pushed = p.plan().edits().get(0).after();
        stage.setScene(new Scene(new FixWizardView(vm), 1100, 820));
        stage.show();
    }

    private void pushThenList(FxRobot robot) throws Exception {
        robot.clickOn("#apply");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !vm.results().isEmpty() && !vm.busyProperty().get());
        assertTrue(vm.results().get(0).ok(), vm.results().toString());
        assertEquals(pushed, Files.readString(access.onVm(path)));
        assertTrue(robot.lookup("#rollbackTo").queryAs(Button.class).isDisabled(), "nothing chosen yet");
        showHistory(robot);
        robot.clickOn("#listBackups");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !vm.backups().isEmpty() && !vm.busyProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Scrolls the wizard down to its history pane (below the what-if panel and the plans). */
    private static void showHistory(FxRobot robot) {
        javafx.scene.control.ScrollPane scroll = robot.lookup(".scroll-pane").queryAllAs(javafx.scene.control.ScrollPane.class).stream()
                .filter(sp -> sp.getContent() != null && sp.getContent().lookup("#history") != null).findFirst().orElseThrow();
        robot.interact(() -> {
            javafx.scene.Node history = scroll.getContent().lookup("#history");
            double h = scroll.getContent().getBoundsInLocal().getHeight() - scroll.getViewportBounds().getHeight();
            scroll.setVvalue(h <= 0 ? 0 : Math.min(1, history.getBoundsInParent().getMinY() / h));
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    @SuppressWarnings("unchecked")
    private FixWizardViewModel.BackupItem chooseTheComposeBackup(FxRobot robot) {
        ListView<FixWizardViewModel.BackupItem> list = robot.lookup("#backups").queryAs(ListView.class);
        FixWizardViewModel.BackupItem item = list.getItems().stream().filter(b -> b.info().file().equals(path)).findFirst().orElseThrow();
        robot.interact(() -> list.getSelectionModel().select(item));
        WaitForAsyncUtils.waitForFxEvents();
        return item;
    }

    @Test
    void listsThePushsBackupAndPutsTheChosenOneBack(FxRobot robot) throws Exception {
        pushThenList(robot);
        assertTrue(robot.lookup("#historyStatus").queryAs(Label.class).getText().endsWith("newest first per file."));
        FixWizardViewModel.BackupItem item = chooseTheComposeBackup(robot);
        assertEquals(host.facts().composeFiles().get(path).sha256(), item.info().sha256());
        assertTrue(robot.lookup(n -> n instanceof javafx.scene.control.Labeled l && item.label().equals(l.getText())).tryQuery().isPresent(), "the row shows time, file, hash and who pushed: " + item.label());
        assertTrue(item.label().contains("pushed by " + System.getProperty("user.name")), item.label());
        Button rollbackTo = robot.lookup("#rollbackTo").queryAs(Button.class);
        assertFalse(rollbackTo.isDisabled());

        showHistory(robot);
        robot.clickOn("#rollbackTo");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> vm.statusProperty().get().startsWith("Restored") && !vm.busyProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(host.facts().composeFiles().get(path).content(), Files.readString(access.onVm(path)));
        assertTrue(robot.lookup(n -> n instanceof Label l && ("restored " + path + " from " + item.info().backup()).equals(l.getText()))
                .tryQuery().isPresent(), "the result is shown");
        assertTrue(rollbackTo.isDisabled(), "the list was read again and nothing is chosen");
    }

    @Test
    void aFileEditedAfterThePushIsNotOverwritten(FxRobot robot) throws Exception {
        pushThenList(robot);
        String edited = pushed + "# changed by hand\n";
        Files.writeString(access.onVm(path), edited);
        chooseTheComposeBackup(robot);
        showHistory(robot);
        robot.clickOn("#rollbackTo");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> vm.statusProperty().get().startsWith("Not rolled back") && !vm.busyProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(edited, Files.readString(access.onVm(path)));
        assertTrue(robot.lookup(n -> n instanceof Label l && l.getText() != null
                && l.getText().contains(path + " on vm is not the file Headroom wrote there")).tryQuery().isPresent(), "the refusal is shown");
        assertEquals("Not rolled back: see the result below.", robot.lookup("#wizardStatus").queryAs(Label.class).getText());
    }
}
