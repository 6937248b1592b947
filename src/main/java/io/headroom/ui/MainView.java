package io.headroom.ui;

import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.util.Duration;

import java.util.function.Consumer;

/**
 * The main window, built in code. It binds to {@link MainViewModel}; all work happens there. Its parts:
 * {@link MainMenuBar} and {@link MainToolBar} on top, {@link ClusterSidebar} on the left, the
 * {@link HostOverviewTable} above the selected host's {@link HostDetailView}, and the status line.
 * This class lays them out, shows the selected host's detail, keeps the title and ticks live mode.
 */
public final class MainView extends BorderPane {
    private final MainViewModel vm;
    private final HostDetailView detail = new HostDetailView();
    private final TextField filter = new TextField();
    private int sinceTick;

    public MainView(MainViewModel vm, Consumer<Boolean> themeSwitch) {
        this.vm = vm;
        getStyleClass().add("main-view");
        setTop(new VBox(MainMenuBar.create(vm, this, themeSwitch), MainToolBar.create(vm, filter, this::openFixWizard)));
        setLeft(ClusterSidebar.create(vm));
        SplitPane split = new SplitPane(HostOverviewTable.create(vm, this::showDetail), detail);
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.42);
        split.setId("mainSplit");
        setCenter(split);
        setBottom(statusBar());
        vm.selectedHostProperty().addListener((o, a, row) -> showDetail(row));
        IdleMemoryTrim.install(vm.scanningProperty(), vm.liveProperty());
        vm.windowTitleProperty().addListener((o, a, title) -> {
            if (getScene() != null && getScene().getWindow() instanceof Stage stage) {
                stage.setTitle(title);
            }
        });
        Timeline live = new Timeline(new KeyFrame(Duration.seconds(1), e -> liveTick()));
        live.setCycleCount(Timeline.INDEFINITE);
        live.play();
    }

    /** Once a second: a live refresh every {@code liveSeconds} seconds while live mode is on. */
    private void liveTick() {
        if (!vm.liveProperty().get()) {
            sinceTick = 0;
            return;
        }
        if (++sinceTick >= vm.liveSecondsProperty().get()) {
            sinceTick = 0;
            vm.liveTick();
        }
    }

    private void showDetail(HostRow row) {
        if (row == null || row.reportProperty().get() == null) {
            detail.show(null, null);
            return;
        }
        detail.show(new HostDetailViewModel(row.reportProperty().get()), vm.session(row.reportProperty().get()),
                vm.timeline(row.reportProperty().get()));
    }

    /** Opens the fix wizard for the selected host (disabled inside, with the reason, when changes are not possible). */
    void openFixWizard() {
        if (vm.lastReportProperty().get() != null) {
            FixWizardView.show(getScene().getWindow(), vm.fixWizard());
        }
    }

    /** Moves the keyboard focus to the host filter (View → Find host). */
    void focusFilter() {
        filter.requestFocus();
    }

    /** Shows the selected host's next finding (View → Next finding). */
    void nextFinding() {
        detail.nextFinding();
    }

    private HBox statusBar() {
        Label status = new Label();
        status.setId("status");
        status.textProperty().bind(vm.statusProperty());
        HBox bar = new HBox(10, status);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(4, 10, 4, 10));
        bar.setStyle("-fx-border-color: -color-border-default; -fx-border-width: 1 0 0 0;");
        return bar;
    }

    /** Keyboard shortcuts that are not on a menu item. */
    public void installShortcuts() {
        getScene().getAccelerators().put(new KeyCodeCombination(KeyCode.ESCAPE), vm::cancel);
    }
}
