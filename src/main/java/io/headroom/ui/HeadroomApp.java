package io.headroom.ui;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import io.headroom.engine.HeadroomVersion;
import io.headroom.engine.ScanEngine;
import io.headroom.engine.TransportRunners;
import io.headroom.engine.inventory.ConfigPaths;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.stage.Stage;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.prefs.Preferences;

/**
 * The desktop application. Opens on {@code local}, scans it right away, remembers window size and
 * theme, and logs the time from process start to the first window (for the start-up benchmark).
 */
public final class HeadroomApp extends Application {
    private TransportRunners runners;

    /**
     * Window size and theme, opened only once a window starts: touching {@link Preferences} earlier
     * would create {@code ~/.java/.userPrefs} even when no window can open, and the JDK announces that
     * first creation with an INFO record on stderr ("Created user preferences directory.") in front of
     * the one-sentence answer a user without a display gets. Only that record is dropped (the same
     * logger's warnings, e.g. a prefs file that cannot be locked, still show).
     */
    private static final class WindowPrefs {
        /** Held so that the filter is not lost with a collected logger. */
        private static final java.util.logging.Logger PREFS_LOGGER =
                dropRecords(java.util.logging.Logger.getLogger("java.util.prefs"), "Created user preferences directory");
        static final Preferences NODE = Preferences.userNodeForPackage(HeadroomApp.class);

        private WindowPrefs() {
        }
    }

    /** Entry point used by {@code io.headroom.Main} and the javafx-maven-plugin. */
    public static Optional<String> launchApp(String[] args) {
        Optional<String> before = DesktopPreflight.before(System.getProperty("os.name", ""), System.getenv(), glassProperties());
        if (before.isPresent()) {
            return before;
        }
        quietClassPathWarning();
        try {
            Application.launch(HeadroomApp.class, args);
            return Optional.empty();
        } catch (RuntimeException | LinkageError e) {
            return Optional.of(DesktopPreflight.after(e, System.getenv(), DesktopPreflight.gtkInstalled()));
        }
    }

    private static Map<String, String> glassProperties() {
        String glass = System.getProperty("glass.platform");
        return glass == null ? Map.of() : Map.of("glass.platform", glass);
    }

    /**
     * JavaFX warns "Unsupported JavaFX configuration: classes were loaded from 'unnamed module'" on
     * every start from the class path. Headroom runs from the class path on purpose (decision 0004:
     * sshj, oshi and Jackson's YAML module are not all modules; one layout for the jar, the launcher
     * and jpackage's AppCDS); JavaFX 21 works the same there, so the warning tells the user nothing.
     * Only that record is dropped (a filter on the "javafx" logger itself; its children, e.g. CSS
     * warnings, still log).
     */
    private static void quietClassPathWarning() {
        dropRecords(JAVAFX_LOGGER, "Unsupported JavaFX configuration");
    }

    /** Filters out of {@code logger} (not its children) the records whose message starts with {@code prefix}. */
    private static java.util.logging.Logger dropRecords(java.util.logging.Logger logger, String prefix) {
        logger.setFilter(r -> r.getMessage() == null || !r.getMessage().startsWith(prefix));
        return logger;
    }

    /** Held so that the filter is not lost with a collected logger. */
    private static final java.util.logging.Logger JAVAFX_LOGGER = java.util.logging.Logger.getLogger("javafx");

    public static void main(String[] args) {
        launchApp(args).ifPresent(reason -> {
            throw new IllegalStateException(reason);
        });
    }

    @Override
    public void start(Stage stage) {
        boolean dark = getParameters().getRaw().contains("--screenshots") ? false : WindowPrefs.NODE.getBoolean("dark", systemPrefersDark());
        applyTheme(dark);
        runners = new TransportRunners(new FxPrompter(() -> stage), TransportRunners.Options.DEFAULTS);
        MainViewModel vm = new MainViewModel(new ScanEngine(runners, HeadroomVersion.get()), new FxBackgroundExecutor(),
                ConfigPaths.inventoryFile());
        io.headroom.engine.inventory.Settings settings;
        try {
            settings = io.headroom.engine.inventory.Settings.load();
        } catch (java.io.IOException e) {
            settings = new io.headroom.engine.inventory.Settings(true, "settings unreadable: " + e.getMessage());
        }
        vm.enableFixes(new io.headroom.engine.fix.TransportVmAccess(runners), settings);
        TransportRunners deathRunners = runners;
        vm.enableDeaths((h, since) -> io.headroom.engine.DeathService.timeline(deathRunners, h.target(), h.scanned() ? h : null, since,
                deathRunners.sudoMode(h.target()).name().toLowerCase(java.util.Locale.ROOT)));
        MainView view = new MainView(vm, d -> {
            applyTheme(d);
            WindowPrefs.NODE.putBoolean("dark", d);
        });
        boolean tour = getParameters().getRaw().contains("--screenshots");
        Scene scene = new Scene(view, tour ? 1360 : WindowPrefs.NODE.getDouble("width", 1280), tour ? 860 : WindowPrefs.NODE.getDouble("height", 820));
        stage.setScene(scene);
        view.installShortcuts();
        stage.setTitle("Headroom — memory headroom for Dask clusters");
        for (int size : List.of(16, 24, 32, 48, 64, 128, 256, 512)) {
            InputStream in = HeadroomApp.class.getResourceAsStream("/io/headroom/icons/headroom-" + size + ".png");
            if (in != null) {
                stage.getIcons().add(new Image(in));
            }
        }
        stage.setOnHidden(e -> {
            if (!tour) {
                WindowPrefs.NODE.putDouble("width", scene.getWidth());
                WindowPrefs.NODE.putDouble("height", scene.getHeight());
            }
        });
        stage.show();
        FxStallMonitor.startIfRequested();
        long startMillis = ProcessHandle.current().info().startInstant().map(i -> i.toEpochMilli()).orElse(0L);
        if (startMillis > 0) {
            System.getLogger("headroom").log(System.Logger.Level.INFO,
                    "first window shown " + (System.currentTimeMillis() - startMillis) + " ms after process start");
        }
        vm.loadClusters();
        List<String> raw = getParameters().getRaw();
        if (raw.size() == 2 && raw.get(0).equals("--screenshots")) {
            new ScreenshotTour(stage, vm, d -> applyTheme(d), java.nio.file.Path.of(raw.get(1))).run();
        } else if (!raw.isEmpty() && raw.get(0).equals("--demo")) {
            vm.openDemo();
        } else if (!raw.isEmpty() && raw.get(0).endsWith(".json")) {
            vm.openSnapshot(java.nio.file.Path.of(raw.get(0)));
        } else {
            vm.scan();
        }
    }

    @Override
    public void stop() {
        if (runners != null) {
            runners.close();
        }
    }

    static void applyTheme(boolean dark) {
        Application.setUserAgentStylesheet(dark ? new PrimerDark().getUserAgentStylesheet() : new PrimerLight().getUserAgentStylesheet());
    }

    /** GNOME's colour-scheme preference when readable (JavaFX 21 has no platform preference API). */
    static boolean systemPrefersDark() {
        try {
            Process p = new ProcessBuilder("gsettings", "get", "org.gnome.desktop.interface", "color-scheme")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readNBytes(200), java.nio.charset.StandardCharsets.UTF_8);
            return p.waitFor(2, java.util.concurrent.TimeUnit.SECONDS) && out.contains("dark");
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
