package io.headroom.ui;

import atlantafx.base.theme.PrimerLight;
import io.headroom.engine.FixtureRunners;
import io.headroom.engine.ScanEngine;
import io.headroom.engine.fix.FixService;
import io.headroom.engine.fix.VmFiles;
import io.headroom.engine.inventory.Settings;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TitledPane;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fix wizard in the real window, headless (Monocle), as a dry run: scan a lab capture whose
 * worker has no limit, open Fix…, read the coloured diff in both modes; Apply is enabled on a live
 * scan and disabled (with the reason shown) in read-only mode. Nothing is pushed: the VM access
 * fails the test if it is ever opened.
 */
@ExtendWith(ApplicationExtension.class)
class FixWizardFxTest {
    @TempDir
    static Path dir;
    private MainViewModel vm;

    private static final FixService.VmAccess NEVER_OPENED = new FixService.VmAccess() {
        @Override
        public VmFiles open(String target) {
            throw new AssertionError("a dry run must not reach a VM");
        }

        @Override
        public boolean sudoAllowed(String target) {
            return false;
        }
    };

    @Start
    void start(Stage stage) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        vm = new MainViewModel(new ScanEngine(FixtureRunners.of(Map.of("local", "/fixtures/lab/s1-no-limit.txt")), "t"),
                new FxBackgroundExecutor(), dir.resolve("clusters.yaml"));
        stage.setScene(new Scene(new MainView(vm, d -> { }), 1280, 820));
        stage.show();
        vm.loadClusters();
    }

    private void scanAndOpenWizard(FxRobot robot) throws Exception {
        robot.clickOn("#scan");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup("#status").queryAs(Label.class).getText().startsWith("Scanned"));
        robot.clickOn("#fix");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#fixWizard").tryQuery().isPresent());
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static String diffText(FxRobot robot) {
        return robot.lookup(".diff").queryAllAs(TextFlow.class).stream()
                .flatMap(f -> f.getChildren().stream()).map(n -> ((Text) n).getText()).collect(Collectors.joining());
    }

    @Test
    void dryRunShowsTheDiffInBothModesAndApplyIsOffered(FxRobot robot) throws Exception {
        vm.enableFixes(NEVER_OPENED, new Settings(false, "default"));
        scanAndOpenWizard(robot);
        assertTrue(robot.lookup(".fix-plan").queryAllAs(TitledPane.class).stream().anyMatch(p -> p.getText().contains("hr-s1")));
        String env = diffText(robot);
        assertTrue(env.contains("+    mem_limit: ${AVAILABLE_MEMORY_FOR_DASK:-0}"), env);
        assertTrue(env.contains("+AVAILABLE_MEMORY_FOR_DASK="), env);
        assertFalse(robot.lookup("#apply").queryAs(Button.class).isDisabled());
        assertFalse(robot.lookup("#disabledReason").queryAs(Label.class).isVisible());

        robot.clickOn("#modeLiteral");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup("#modeLiteral").queryAs(RadioButton.class).isSelected());
        String literal = diffText(robot);
        assertTrue(literal.matches("(?s).*\\+    mem_limit: \\d+\\n.*"), literal);
        robot.clickOn("Close");
    }

    @Test
    void readOnlyModeShowsWhyApplyIsDisabled(FxRobot robot) throws Exception {
        vm.enableFixes(NEVER_OPENED, new Settings(true, "settings.yaml"));
        assertTrue(robot.lookup("#readOnly").queryAs(Label.class).isVisible());
        scanAndOpenWizard(robot);
        assertTrue(robot.lookup("#apply").queryAs(Button.class).isDisabled());
        assertTrue(robot.lookup("#rollback").queryAs(Button.class).isDisabled());
        Label why = robot.lookup("#disabledReason").queryAs(Label.class);
        assertTrue(why.isVisible() && why.getText().startsWith("Read-only mode is on (settings.yaml)"), why.getText());
        assertTrue(diffText(robot).contains("mem_limit"), "the diff is still there to review");
        robot.clickOn("Close");
    }
}
