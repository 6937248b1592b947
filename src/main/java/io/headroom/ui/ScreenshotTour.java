package io.headroom.ui;

import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;
import javafx.util.Duration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code headroom --gui --screenshots DIR}: opens the demo in the real window and saves a PNG of each
 * main screen (overview, host detail tabs, the death timeline, dark theme, live-mode sparklines, the report preview, the fix
 * wizard, the host-key dialogs), then quits. CI runs it
 * under Xvfb; the README shows the best of the pictures.
 */
final class ScreenshotTour {
    private final Stage stage;
    private final MainViewModel vm;
    private final Consumer<Boolean> theme;
    private final Path dir;
    private final List<Runnable> steps = new ArrayList<>();

    ScreenshotTour(Stage stage, MainViewModel vm, Consumer<Boolean> theme, Path dir) {
        this.stage = stage;
        this.vm = vm;
        this.theme = theme;
        this.dir = dir;
    }

    void run() {
        steps.add(vm::openDemo);
        steps.add(this::waitForDemo);
        steps.add(() -> shot("overview"));
        steps.add(() -> selectHost("vm-s1-no-limit"));
        steps.add(() -> shot("host-no-limit"));
        steps.add(() -> selectHost("vm-s0-oom-kill"));
        steps.add(() -> tab(1));
        steps.add(() -> shot("oom-kills"));
        steps.add(() -> tab(3));
        steps.add(() -> shot("compose-file"));
        // the death timeline: the demo's deaths were captured in the lab (lab/projects/i20-deaths); the kernel's kill selected
        steps.add(() -> tab(2));
        steps.add(this::waitForDeaths);
        steps.add(() -> selectDeath(io.headroom.model.DeathCause.KERNEL_OOM_CONTAINER, "i20-deaths_worker-fast_1"));
        steps.add(() -> split(0.12)); // as a user would: room for the timeline and the selected death's evidence
        steps.add(() -> shot("death-timeline"));
        steps.add(() -> split(0.42));
        steps.add(() -> tab(0));
        steps.add(() -> selectHost("vm-s9-overcommit"));
        steps.add(() -> theme.accept(true));
        steps.add(() -> shot("dark-overcommit"));
        steps.add(() -> theme.accept(false));
        steps.add(() -> {
            seedSession("vm-s9-overcommit");
            selectHost("vm-s0-oom-kill");
            selectHost("vm-s9-overcommit");
        });
        steps.add(() -> scrollDetail(0.3));
        steps.add(() -> shot("live-sparklines"));
        steps.add(() -> theme.accept(true));
        steps.add(() -> shot("dark-live-sparklines"));
        steps.add(() -> theme.accept(false));
        steps.add(() -> scrollDetail(0));
        steps.add(() -> {
            var in = vm.reportInput();
            var d = ReportDialog.create(in, ReportDialog.render(in.report()));
            d.initOwner(stage);
            d.show();
            steps.add(0, () -> {
                save(d.getDialogPane().getScene(), "report-preview");
                d.close();
            });
        });
        steps.add(() -> selectHost("vm-s1-no-limit"));
        steps.add(() -> {
            Stage w = FixWizardView.show(stage, vm.fixWizard());
            steps.add(0, () -> {
                save(w.getScene(), "fix-wizard");
                w.close();
            });
        });
        // the finding no other tool has: 1 thread of 2 CPUs gives Dask half the container
        steps.add(() -> selectHost("vm-s2-seed-env"));
        steps.add(() -> shot("fraction-of-limit"));
        // what-if on the same VM: two workers of one thread use the whole limit
        steps.add(() -> {
            Stage w = FixWizardView.show(stage, vm.fixWizard());
            steps.add(0, () -> {
                if (w.getScene().lookup("#whatIfNworkers") instanceof javafx.scene.control.TextField f) {
                    f.setText("2");
                }
            });
            steps.add(1, () -> {
                save(w.getScene(), "what-if");
                w.close();
            });
        });
        steps.add(() -> {
            var d = FxPrompter.hostKeyDialog("[10.0.0.7]:22", "ssh-ed25519", "SHA256:nqAI0naIFA7ModXmfH6O1O3EUEKzfFMSiSe9BxnX+nU");
            d.initOwner(stage);
            d.show();
            steps.add(0, () -> {
                save(d.getDialogPane().getScene(), "host-key-dialog");
                d.close();
            });
        });
        steps.add(() -> {
            var d = FxPrompter.changedKeyDialog(new io.headroom.ssh.HostKeyMismatch("[10.0.0.7]:22", "ssh-ed25519",
                    "SHA256:nqAI0naIFA7ModXmfH6O1O3EUEKzfFMSiSe9BxnX+nU", "ssh-ed25519",
                    "SHA256:Xq2LxT0bH7m1kVv9sQ1y3cZ6m8uJ0pA4dE5fG7hI9jK", Path.of("/home/ops/.ssh/known_hosts"), 42));
            d.initOwner(stage);
            d.show();
            steps.add(0, () -> {
                save(d.getDialogPane().getScene(), "host-key-changed");
                d.close();
            });
        });
        steps.add(() -> Platform.exit());
        next();
    }

    private void next() {
        if (steps.isEmpty()) {
            return;
        }
        Runnable r = steps.remove(0);
        PauseTransition p = new PauseTransition(Duration.millis(900));
        p.setOnFinished(e -> {
            try {
                r.run();
            } finally {
                next();
            }
        });
        p.play();
    }

    /** Re-queues itself until the demo's hosts are on screen. */
    private void waitForDemo() {
        if (vm.hosts().size() < 2 || vm.sourceProperty().get() != MainViewModel.Source.DEMO) {
            steps.add(0, this::waitForDemo);
        }
    }

    /**
     * The demo is a snapshot, so it has no live history: this draws a made-up session only to show the
     * sparklines: a job's usage rising towards each container's restart point and falling back, ending
     * at the snapshot's own figures (so the chart, the table and "now" agree); MemAvailable mirrors it.
     */
    private void seedSession(String target) {
        vm.hosts().stream().filter(h -> h.target().equals(target)).findFirst().map(h -> h.reportProperty().get()).ifPresent(r -> {
            long now = System.currentTimeMillis();
            long avail = r.facts().memInfo().memAvailableBytes();
            int n = 40;
            for (int i = 0; i < n; i++) {
                long at = now - (n - 1 - i) * 10_000L;
                double bump = Math.pow(Math.sin(Math.PI * i / (n - 1)), 2);
                long used = 0;
                int k = 0;
                for (var c : r.daskContainers()) {
                    var cg = c.facts().cgroup();
                    long actual = cg != null && cg.usageBytes() != null ? cg.usageBytes() : 1L << 28;
                    Long restart = c.workers().isEmpty() ? null : c.workers().get(0).terminateBytes();
                    long cap = restart != null ? restart : c.cgroupLimitBytes() != null ? c.cgroupLimitBytes() : actual * 3;
                    long top = Math.max(actual, (long) (cap * (0.55 + 0.15 * k)));
                    long v = actual + (long) ((top - actual) * bump * (1 + 0.06 * Math.sin(i * 0.9 + k)));
                    vm.addSample(target, c.facts().name(), new MainViewModel.Sample(at, v));
                    used += v - actual;
                    k++;
                }
                vm.addSample(target, "MemAvailable", new MainViewModel.Sample(at, Math.max(0, avail - used)));
            }
        });
    }

    /** Re-queues itself until the selected host's death timeline has read its deaths (or failed). */
    private void waitForDeaths() {
        TimelinePane pane = (TimelinePane) stage.getScene().lookup("#timelinePane");
        TimelineViewModel t = pane == null ? null : pane.model();
        if (t != null && t.stateProperty().get() == TimelineViewModel.State.LOADING) {
            steps.add(0, this::waitForDeaths);
        }
    }

    private void selectDeath(io.headroom.model.DeathCause cause, String container) {
        TimelinePane pane = (TimelinePane) stage.getScene().lookup("#timelinePane");
        if (pane == null || pane.model() == null) {
            return;
        }
        pane.model().rowsProperty().get().stream().flatMap(r -> r.marks().stream())
                .filter(m -> m.death() != null && m.death().cause() == cause && container.equals(m.death().container()))
                .findFirst().ifPresent(m -> pane.model().selectedProperty().set(m));
    }

    private void split(double position) {
        if (stage.getScene().lookup("#mainSplit") instanceof javafx.scene.control.SplitPane sp) {
            sp.setDividerPositions(position);
        }
    }

    private void scrollDetail(double v) {
        stage.getScene().getRoot().lookupAll(".scroll-pane").stream().filter(n -> n instanceof javafx.scene.control.ScrollPane sp
                && sp.getContent() != null && sp.getContent().lookup("#session") != null).findFirst()
                .ifPresent(n -> ((javafx.scene.control.ScrollPane) n).setVvalue(v));
    }

    private void selectHost(String target) {
        vm.hosts().stream().filter(h -> h.target().equals(target)).findFirst().ifPresent(h -> vm.selectedHostProperty().set(h));
    }

    private void tab(int index) {
        TabPane tabs = (TabPane) stage.getScene().lookup("#detailTabs");
        if (tabs != null) {
            tabs.getSelectionModel().select(index);
        }
    }

    private void shot(String name) {
        save(stage.getScene(), name);
    }

    private void save(Scene scene, String name) {
        try {
            Files.createDirectories(dir);
            PngWriter.write(scene.snapshot(null), dir.resolve(name + ".png"));
        } catch (java.io.IOException e) {
            System.getLogger("headroom").log(System.Logger.Level.ERROR, "screenshot " + name + " failed: " + e.getMessage());
        }
    }
}
