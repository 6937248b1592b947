package io.headroom.ui;

import io.headroom.engine.inventory.Cluster;
import io.headroom.engine.inventory.Inventory;
import io.headroom.engine.inventory.SchedulerDiscovery;
import io.headroom.engine.inventory.SshConfigHosts;
import io.headroom.ui.MainViewModel.ClusterItem;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The sidebar's clusters and the clusters file behind them: loading, adding, replacing and removing a
 * cluster, discovering one from a Dask scheduler, and proposing one from {@code ~/.ssh/config}. The file is read and written off the UI thread
 * through the {@link BackgroundExecutor}; the list, the selection and the status line change on the
 * UI thread when that is done.
 */
final class ClusterInventory {
    /** The user's OpenSSH client config ({@code ~/.ssh/config}), whose host aliases can become a cluster. */
    static Path sshConfig() {
        return Path.of(System.getProperty("user.home"), ".ssh", "config");
    }

    private final BackgroundExecutor executor;
    private final Path inventoryFile;
    private final ObservableList<ClusterItem> clusters = FXCollections.observableArrayList(MainViewModel.LOCAL);
    private final ObjectProperty<ClusterItem> selected;
    private final StringProperty status;
    private final BooleanSupplier offlineShown;
    private Inventory inventory;

    /**
     * @param selected the selected cluster, set to an added or edited cluster
     * @param offlineShown whether a snapshot or the demo is shown, which reloading must not replace
     */
    ClusterInventory(BackgroundExecutor executor, Path inventoryFile, ObjectProperty<ClusterItem> selected,
            StringProperty status, BooleanSupplier offlineShown) {
        this.executor = executor;
        this.inventoryFile = inventoryFile;
        this.selected = selected;
        this.status = status;
        this.offlineShown = offlineShown;
    }

    ObservableList<ClusterItem> clusters() {
        return clusters;
    }

    /** Loads the clusters file; keeps the selected cluster selected if it is still there. */
    void load() {
        executor.submit(() -> Inventory.load(inventoryFile), inv -> {
            inventory = inv;
            List<ClusterItem> items = new ArrayList<>();
            items.add(MainViewModel.LOCAL);
            inv.clusters().values().stream().sorted(Comparator.comparing(Cluster::name))
                    .forEach(c -> items.add(item(c)));
            ClusterItem keep = selected.get();
            clusters.setAll(items);
            ClusterItem same = keep == null ? MainViewModel.LOCAL
                    : items.stream().filter(i -> i.name().equals(keep.name())).findFirst().orElse(MainViewModel.LOCAL);
            if (same != keep && !offlineShown.getAsBoolean()) {
                selected.set(same);
            }
        }, e -> status.set("Clusters file: " + e.getMessage()));
    }

    /** Adds a cluster to the clusters file and selects it. */
    void add(Cluster c) {
        executor.submit(() -> {
            Inventory inv = current();
            inv.add(c);
            return inv;
        }, inv -> {
            inventory = inv;
            status.set("Added cluster " + c.name() + " to " + inv.file());
            ClusterItem item = item(c);
            clusters.add(item);
            selected.set(item);
        }, e -> status.set("Cannot add cluster: " + e.getMessage()));
    }

    /** Replaces a cluster (remove + add) and selects it. */
    void update(String oldName, Cluster c) {
        executor.submit(() -> {
            Inventory inv = current();
            inv.remove(oldName);
            inv.add(c);
            return inv;
        }, inv -> {
            inventory = inv;
            status.set("Saved cluster " + c.name());
            clusters.removeIf(i -> i.name().equals(oldName));
            ClusterItem item = item(c);
            clusters.add(item);
            selected.set(item);
        }, e -> status.set("Cannot save cluster: " + e.getMessage()));
    }

    /** Removes a cluster from the file (not {@code local}) and selects {@code local}. */
    void remove(ClusterItem item) {
        if (item == null || item.cluster() == null) {
            return;
        }
        executor.submit(() -> {
            Inventory inv = current();
            inv.remove(item.name());
            return inv;
        }, inv -> {
            inventory = inv;
            clusters.remove(item);
            selected.set(MainViewModel.LOCAL);
            status.set("Removed cluster " + item.name());
        }, e -> status.set("Cannot remove cluster: " + e.getMessage()));
    }

    /** Asks a scheduler for its workers and adds them as a new cluster. */
    void discover(String url, String name) {
        executor.submit(() -> SchedulerDiscovery.discover(url, Duration.ofSeconds(10)),
                r -> add(new Cluster(name, r.hosts(), null, null, null, null, url)),
                e -> status.set("Discovery from " + url + " failed: " + e.getMessage()));
    }

    /**
     * Reads the host aliases of an OpenSSH client config ({@link #sshConfig()} in the window) and hands
     * them to {@code onAliases} on the UI thread, or says on the status line that there are none (the
     * file missing or unreadable counts as none).
     */
    void sshConfigAliases(Path sshConfig, Consumer<List<String>> onAliases) {
        executor.submit(() -> {
            try {
                return Files.isReadable(sshConfig) ? SshConfigHosts.aliases(Files.readString(sshConfig)) : List.<String>of();
            } catch (IOException e) {
                return List.<String>of();
            }
        }, aliases -> {
            if (aliases.isEmpty()) {
                status.set("No host aliases found in " + sshConfig);
            } else {
                onAliases.accept(aliases);
            }
        }, e -> status.set("Cannot read " + sshConfig + ": " + e.getMessage()));
    }

    /** The inventory last loaded, or the file read now (off the UI thread). */
    private Inventory current() throws Inventory.InventoryException {
        return inventory != null ? inventory : Inventory.load(inventoryFile);
    }

    private static ClusterItem item(Cluster c) {
        return new ClusterItem(c.name(), c.targets(), c);
    }
}
