package io.headroom.ui;

import io.headroom.model.Bytes;
import io.headroom.model.ComposeFile;
import io.headroom.model.Finding;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;

import java.util.List;
import java.util.Locale;

/** The host detail: the headroom chart, findings, OOM kills, compose files, what could not be read. */
public final class HostDetailView extends VBox {
    private final Label title = new Label("Select a host.");
    private final HeadroomChart chart = new HeadroomChart();
    private final VBox findings = new VBox(8);
    private final ListView<String> oom = new ListView<>();
    private final VBox compose = new VBox(10);
    private final ListView<String> notes = new ListView<>();
    private final GridPane sparkRow = new GridPane();
    private final Tab oomTab = new Tab("OOM kills", oom);
    private final Tab notesTab = new Tab("Not readable", notes);
    private final TimelinePane timeline = new TimelinePane(w -> FixWizardView.show(getScene().getWindow(), w));
    private final Tab deathsTab;
    private int focusedFinding = -1;

    public HostDetailView() {
        setSpacing(8);
        setPadding(new Insets(8, 12, 8, 12));
        title.getStyleClass().add("title-4");
        title.setId("hostTitle");
        chart.setId("chart");
        findings.setId("findings");
        sparkRow.setId("session");
        sparkRow.setHgap(12);
        sparkRow.setVgap(4);
        Label findingsTitle = new Label("Findings");
        findingsTitle.getStyleClass().add("text-bold");
        VBox headroom = new VBox(10, chart, sparkRow, findingsTitle, findings);
        headroom.setPadding(new Insets(8));
        ScrollPane scroll = new ScrollPane(headroom);
        scroll.setFitToWidth(true);
        ScrollPane composeScroll = new ScrollPane(compose);
        composeScroll.setFitToWidth(true);
        oom.setPlaceholder(new Label("No OOM kills in the kernel log."));
        oom.setCellFactory(l -> new WrappingCell());
        notes.setCellFactory(l -> new WrappingCell());
        notes.setPlaceholder(new Label("Everything the probe asked for was read."));
        ScrollPane deathsScroll = new ScrollPane(timeline);
        deathsScroll.setFitToWidth(true);
        deathsTab = new Tab("Deaths", deathsScroll);
        deathsTab.setId("deathsTab");
        // the deaths are read from the VM when the user opens the tab (on demand), never by a refresh
        deathsTab.selectedProperty().addListener((o, was, now) -> {
            if (now && timeline.model() != null) {
                timeline.model().opened();
            }
        });
        TabPane tabs = new TabPane(new Tab("Headroom", scroll), oomTab, deathsTab, new Tab("Compose files", composeScroll), notesTab);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.setId("detailTabs");
        VBox.setVgrow(tabs, javafx.scene.layout.Priority.ALWAYS);
        getChildren().addAll(title, tabs);
    }

    /** Shows a host (null clears), without a death timeline. */
    public void show(HostDetailViewModel vm, MainViewModel.Session session) {
        show(vm, session, null);
    }

    /** Shows a host (null clears) and its death timeline; an open Deaths tab reads a new host's deaths. */
    public void show(HostDetailViewModel vm, MainViewModel.Session session, TimelineViewModel deaths) {
        focusedFinding = -1;
        timeline.setModel(deaths);
        if (deaths != null && deathsTab.isSelected()) {
            deaths.opened();
        }
        if (vm == null || vm.report() == null) {
            title.setText("Select a host.");
            chart.setChart(null);
            findings.getChildren().clear();
            oom.getItems().clear();
            compose.getChildren().clear();
            notes.getItems().clear();
            return;
        }
        title.setText(vm.title());
        chart.setChart(vm.chart());
        showSession(vm, session);
        findings.getChildren().setAll(vm.findings().stream().map(HostDetailView::card).toList());
        if (vm.findings().isEmpty()) {
            Label none = new Label(!vm.report().scanned() ? "Not scanned: " + String.join("; ", vm.errors())
                    : vm.report().daskContainers().isEmpty() ? "No findings: there is no Dask container to check."
                    : "No findings: the limits fit what this VM can give.");
            none.setWrapText(true);
            findings.getChildren().add(none);
        }
        oom.getItems().setAll(vm.oomTimeline());
        oomTab.setText("OOM kills (" + vm.oomTimeline().size() + ")");
        notes.getItems().setAll(vm.errors());
        notesTab.setText("Not readable (" + vm.errors().size() + ")");
        compose.getChildren().clear();
        for (ComposeFile f : vm.composeFiles()) {
            Label path = new Label(f.path() + "  sha256 " + f.sha256().substring(0, 12) + "…" + (f.truncated() ? "  (truncated)" : ""));
            path.getStyleClass().add("text-bold");
            TextFlow flow = new TextFlow();
            flow.setStyle("-fx-font-family: monospace; -fx-font-size: 12px;");
            for (HostDetailViewModel.ComposeLine line : HostDetailViewModel.lines(f)) {
                Text t = new Text(String.format(Locale.ROOT, "%4d  %s%n", line.number(), line.text()));
                t.setStyle(line.memory() ? "-fx-fill: -color-danger-emphasis; -fx-font-weight: bold;" : "-fx-fill: -color-fg-default;");
                flow.getChildren().add(t);
            }
            compose.getChildren().addAll(path, flow);
        }
        if (vm.composeFiles().isEmpty()) {
            compose.getChildren().add(new Label("No compose files were named by the containers' labels."));
        }
    }

    /**
     * Live mode: MemAvailable and each Dask container's usage over this session, the container lines
     * drawn from 0 to the cgroup limit (or their own peak when unlimited) with the restart point dashed.
     */
    private void showSession(HostDetailViewModel vm, MainViewModel.Session session) {
        sparkRow.getChildren().clear();
        if (session == null || session.memAvailable().size() < 2) {
            return;
        }
        Label head = new Label("This session (" + session.memAvailable().size() + " live refreshes)");
        head.getStyleClass().add("text-bold");
        sparkRow.add(head, 0, 0, 3, 1);
        Sparkline avail = new Sparkline();
        avail.setId("spark-MemAvailable");
        avail.setSamples(session.memAvailable());
        addSparkRow(1, "MemAvailable", avail, "now " + Bytes.human(last(session.memAvailable()))
                + ", lowest " + Bytes.human(session.memAvailable().stream().mapToLong(MainViewModel.Sample::bytes).min().orElse(0)));
        int row = 2;
        HostDetailViewModel.Chart chart = vm.chart();
        for (HostDetailViewModel.Bar b : chart == null ? List.<HostDetailViewModel.Bar>of() : chart.bars()) {
            List<MainViewModel.Sample> usage = session.usage().getOrDefault(b.name(), List.of());
            if (usage.size() < 2) {
                continue;
            }
            Sparkline s = new Sparkline();
            s.setId("spark-" + b.name());
            s.setSamples(usage);
            s.setRange(0L, b.limit().bytes());
            s.setMark(b.terminate() != null ? b.terminate() : b.limit().bytes());
            long peak = usage.stream().mapToLong(MainViewModel.Sample::bytes).max().orElse(0);
            String of = b.limit().bytes() == null ? " (no limit)" : " of limit " + b.limit().text();
            String dash = (b.terminate() != null ? "; dashed: restart at " + Bytes.human(b.terminate())
                    : b.limit().bytes() != null ? "; dashed: the limit" : "")
                    + (b.terminateNote() != null ? "; nanny restart: " + b.terminateNote() : "");
            addSparkRow(row++, b.name(), s, "usage " + Bytes.human(last(usage)) + of + ", peak " + Bytes.human(peak) + dash);
        }
    }

    private void addSparkRow(int row, String name, Sparkline s, String text) {
        Label n = new Label(name);
        n.setMinWidth(150);
        Tooltip.install(s, new Tooltip(name + ": " + text));
        sparkRow.add(n, 0, row);
        sparkRow.add(s, 1, row);
        sparkRow.add(new Label(text), 2, row);
    }

    private static long last(List<MainViewModel.Sample> samples) {
        return samples.get(samples.size() - 1).bytes();
    }

    /** Moves the highlight to the next finding (Ctrl+N). */
    public void nextFinding() {
        if (findings.getChildren().isEmpty()) {
            return;
        }
        if (focusedFinding >= 0 && focusedFinding < findings.getChildren().size()) {
            findings.getChildren().get(focusedFinding).setStyle(cardStyle(false));
        }
        focusedFinding = (focusedFinding + 1) % findings.getChildren().size();
        findings.getChildren().get(focusedFinding).setStyle(cardStyle(true));
    }

    private static String cardStyle(boolean focused) {
        return "-fx-background-color: -color-bg-subtle; -fx-background-radius: 6; -fx-border-radius: 6; -fx-border-width: "
                + (focused ? "2" : "1") + "; -fx-border-color: " + (focused ? "-color-accent-emphasis" : "-color-border-default") + ";";
    }

    private static VBox card(Finding f) {
        Label head = new Label(f.severity().label().toUpperCase(Locale.ROOT) + " · " + f.code()
                + (f.container() == null ? "" : " · " + f.container()));
        head.setStyle("-fx-font-weight: bold; -fx-text-fill: " + switch (f.severity()) {
            case CRITICAL -> "-color-danger-fg;";
            case WARNING -> "-color-warning-fg;";
            default -> "-color-accent-fg;";
        });
        Label msg = new Label(f.message());
        msg.setWrapText(true);
        VBox card = new VBox(4, head, msg);
        if (f.recommendedLimitBytes() != null) {
            Label rec = new Label("Recommended mem_limit: " + Bytes.human(f.recommendedLimitBytes()) + " = "
                    + f.recommendedLimitBytes() + " bytes (click to copy)");
            rec.setStyle("-fx-text-fill: -color-success-fg; -fx-cursor: hand;");
            rec.setTooltip(new Tooltip("Copies " + f.recommendedLimitBytes() + " to the clipboard"));
            rec.setOnMouseClicked(e -> {
                ClipboardContent c = new ClipboardContent();
                c.putString(Long.toString(f.recommendedLimitBytes()));
                Clipboard.getSystemClipboard().setContent(c);
            });
            card.getChildren().add(rec);
        }
        card.setPadding(new Insets(8, 10, 8, 10));
        card.setStyle(cardStyle(false));
        return card;
    }

    /** A list line that wraps at the list's width instead of running off to the right. */
    static final class WrappingCell extends javafx.scene.control.ListCell<String> {
        WrappingCell() {
            setWrapText(true);
            setMinWidth(0);
            setPrefWidth(0); // let the list's width, not the text's, decide
        }

        @Override
        protected void updateItem(String text, boolean empty) {
            super.updateItem(text, empty);
            setText(empty ? null : text);
        }
    }
}
