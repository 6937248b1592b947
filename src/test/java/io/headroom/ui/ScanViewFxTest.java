package io.headroom.ui;

import atlantafx.base.theme.PrimerLight;
import io.headroom.engine.FixtureRunners;
import io.headroom.engine.ScanEngine;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real window, headless (Monocle): scan runs off the FX thread and the screen fills in. */
@ExtendWith(ApplicationExtension.class)
class ScanViewFxTest {
    private ScanViewModel vm;

    @Start
    void start(Stage stage) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        vm = new ScanViewModel(new ScanEngine(FixtureRunners.of(Map.of("local", "/fixtures/probe/podman-cgroup-v1-hybrid.txt")), "test"),
                new FxBackgroundExecutor());
        stage.setScene(new Scene(new ScanView(vm), 1100, 720));
        stage.show();
    }

    @Test
    void clickingScanFillsTheScreen(FxRobot robot) throws Exception {
        robot.clickOn("#scan");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup("#status").queryAs(Label.class).getText().startsWith("Scanned"));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("23.54 GiB", robot.lookup("#memTotal").queryAs(Label.class).getText());
        TableView<?> table = robot.lookup("#containers").queryAs(TableView.class);
        assertTrue(table.getItems().size() >= 3, "rows: " + table.getItems().size());
        VBox findings = robot.lookup("#findings").queryAs(VBox.class);
        assertTrue(findings.getChildren().size() >= 1);
        assertTrue(robot.lookup(n -> n instanceof Label l && l.getText() != null && l.getText().startsWith("CRITICAL · NO_LIMIT")).tryQuery().isPresent());
    }
}
