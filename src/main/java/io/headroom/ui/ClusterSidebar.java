package io.headroom.ui;

import javafx.event.ActionEvent;
import javafx.event.EventHandler;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextInputDialog;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.List;

/**
 * The sidebar: the clusters (their selection kept in step with the ViewModel's) and the buttons to add,
 * edit or remove one, import hosts from {@code ~/.ssh/config} and discover workers from a Dask scheduler.
 * The dialogs ask; the ViewModel reads and writes the files.
 */
final class ClusterSidebar {
    private ClusterSidebar() {
    }

    static VBox create(MainViewModel vm) {
        Label title = new Label("Clusters");
        title.getStyleClass().add("title-4");
        ListView<MainViewModel.ClusterItem> list = new ListView<>(vm.clusters());
        list.setId("clusters");
        list.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b != null && b != vm.selectedClusterProperty().get()) {
                vm.selectedClusterProperty().set(b);
            }
        });
        vm.selectedClusterProperty().addListener((o, a, b) -> list.getSelectionModel().select(b));
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(MainViewModel.ClusterItem item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : item.name() + "  (" + item.targets().size() + ")");
                setGraphic(empty || item == null ? null : new FontIcon(item.cluster() == null ? Feather.MONITOR : Feather.SERVER));
            }
        });
        Button add = iconButton(Feather.PLUS, "Add a cluster", e -> ClusterDialog.create(null, List.of()).showAndWait().ifPresent(vm::addCluster));
        add.setId("addCluster");
        Button edit = iconButton(Feather.EDIT_2, "Edit the selected cluster", e -> {
            var item = vm.selectedClusterProperty().get();
            if (item != null && item.cluster() != null) {
                ClusterDialog.create(item.cluster(), List.of()).showAndWait().ifPresent(c -> vm.updateCluster(item.name(), c));
            }
        });
        Button remove = iconButton(Feather.TRASH_2, "Remove the selected cluster", e -> vm.removeCluster(vm.selectedClusterProperty().get()));
        Button importSsh = iconButton(Feather.DOWNLOAD, "Import hosts from ~/.ssh/config",
                e -> vm.sshConfigAliases(aliases -> ClusterDialog.create(null, aliases).showAndWait().ifPresent(vm::addCluster)));
        Button discover = iconButton(Feather.SEARCH, "Discover workers from a Dask scheduler URL", e -> discover(vm));
        HBox buttons = new HBox(4, add, edit, remove, importSsh, discover);
        VBox box = new VBox(8, title, list, buttons);
        VBox.setVgrow(list, Priority.ALWAYS);
        box.setPadding(new Insets(10));
        box.setPrefWidth(230);
        return box;
    }

    private static Button iconButton(Feather icon, String tip, EventHandler<ActionEvent> h) {
        Button b = new Button(null, new FontIcon(icon));
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(h);
        b.getStyleClass().add("flat");
        return b;
    }

    private static void discover(MainViewModel vm) {
        TextInputDialog url = new TextInputDialog("http://scheduler:8787");
        url.setTitle("Discover workers");
        url.setHeaderText("The Dask scheduler's dashboard URL (it serves /json/identity.json)");
        url.showAndWait().ifPresent(u -> {
            TextInputDialog name = new TextInputDialog("discovered");
            name.setTitle("Discover workers");
            name.setHeaderText("Name of the new cluster");
            name.showAndWait().ifPresent(n -> vm.discover(u.strip(), n.strip()));
        });
    }
}
