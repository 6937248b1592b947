package io.headroom.ui;

import atlantafx.base.theme.PrimerLight;
import io.headroom.engine.HeadroomVersion;
import io.headroom.engine.ScanEngine;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.stage.Stage;

/** The desktop application. Opens the scan screen and scans {@code local} right away. */
public final class HeadroomApp extends Application {
    /** Entry point used by {@code io.headroom.Main} and the javafx-maven-plugin. */
    public static void launchApp(String[] args) {
        Application.launch(HeadroomApp.class, args);
    }

    public static void main(String[] args) {
        launchApp(args);
    }

    @Override
    public void start(Stage stage) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        ScanViewModel vm = new ScanViewModel(ScanEngine.localOnly(HeadroomVersion.get()), new FxBackgroundExecutor());
        stage.setTitle("Headroom " + HeadroomVersion.get() + " — memory headroom for Dask");
        stage.setScene(new Scene(new ScanView(vm), 1100, 720));
        stage.show();
        vm.scan();
    }
}
