package io.headroom.ui;

import io.headroom.engine.inventory.Cluster;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;

import java.util.Arrays;
import java.util.List;

/** Add or edit a cluster: name, hosts (one per line), user, jump host, sudo, reserve, scheduler URL. */
final class ClusterDialog {
    private ClusterDialog() {
    }

    static Dialog<Cluster> create(Cluster existing, List<String> suggestedHosts) {
        Dialog<Cluster> d = new Dialog<>();
        d.setTitle(existing == null ? "Add cluster" : "Edit cluster " + existing.name());
        TextField name = new TextField(existing == null ? "" : existing.name());
        name.setId("clusterName");
        TextArea hosts = new TextArea(existing == null ? String.join("\n", suggestedHosts) : String.join("\n", existing.hosts()));
        hosts.setId("clusterHosts");
        hosts.setPrefRowCount(6);
        hosts.setPromptText("one per line: vm-1, ubuntu@10.0.0.7:2222, an alias from ~/.ssh/config");
        TextField user = new TextField(existing == null || existing.user() == null ? "" : existing.user());
        TextField jump = new TextField(existing == null || existing.jump() == null ? "" : existing.jump());
        jump.setPromptText("[user@]bastion[:port]");
        ComboBox<String> sudo = new ComboBox<>();
        sudo.getItems().setAll("auto", "never", "always");
        sudo.setValue(existing == null || existing.sudo() == null ? "auto" : existing.sudo());
        TextField reserve = new TextField(existing == null || existing.reserve() == null ? "" : existing.reserve());
        reserve.setPromptText("default 5% of MemTotal, e.g. 1GiB");
        TextField scheduler = new TextField(existing == null || existing.scheduler() == null ? "" : existing.scheduler());
        scheduler.setPromptText("http://scheduler:8787 (optional: compare with Dask's own numbers)");
        GridPane g = new GridPane();
        g.setHgap(10);
        g.setVgap(8);
        String[] labels = {"Name", "Hosts", "User", "Jump host", "sudo for docker", "Reserve", "Scheduler"};
        javafx.scene.Node[] fields = {name, hosts, user, jump, sudo, reserve, scheduler};
        for (int i = 0; i < labels.length; i++) {
            g.addRow(i, new Label(labels[i]), fields[i]);
        }
        d.getDialogPane().setContent(g);
        d.getDialogPane().getButtonTypes().setAll(ButtonType.CANCEL, ButtonType.OK);
        d.getDialogPane().lookupButton(ButtonType.OK).disableProperty().bind(
                name.textProperty().isEmpty().or(hosts.textProperty().isEmpty()));
        d.setResultConverter(b -> {
            if (b != ButtonType.OK) {
                return null;
            }
            List<String> hs = Arrays.stream(hosts.getText().split("[\\n,]")).map(String::strip).filter(s -> !s.isEmpty()).toList();
            return new Cluster(name.getText().strip(), hs, blank(user.getText()), blank(jump.getText()),
                    "auto".equals(sudo.getValue()) ? null : sudo.getValue(), blank(reserve.getText()), blank(scheduler.getText()));
        });
        return d;
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
