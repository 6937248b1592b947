package io.headroom.ui;

import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The clusters file and ~/.ssh/config behind the sidebar, synchronously. */
class ClusterInventoryTest {
    @TempDir
    Path dir;

    private final SimpleStringProperty status = new SimpleStringProperty("");

    private ClusterInventory inventory() {
        return new ClusterInventory(BackgroundExecutor.synchronous(), dir.resolve("clusters.yaml"),
                new SimpleObjectProperty<>(MainViewModel.LOCAL), status, () -> false);
    }

    @Test
    void proposesTheHostAliasesOfAnSshConfig() throws Exception {
        Path config = Files.writeString(dir.resolve("config"), "Host vm-a vm-b\n  User dask\nHost *\n  ServerAliveInterval 30\n");
        List<List<String>> got = new ArrayList<>();
        inventory().sshConfigAliases(config, got::add);
        assertEquals(1, got.size());
        assertTrue(got.get(0).containsAll(List.of("vm-a", "vm-b")), got.toString());
        assertTrue(got.get(0).stream().noneMatch(a -> a.contains("*")), "wildcards are patterns, not hosts: " + got);
    }

    @Test
    void saysSoWhenTheSshConfigHasNoHosts() {
        Path missing = dir.resolve("no-such-config");
        List<List<String>> got = new ArrayList<>();
        inventory().sshConfigAliases(missing, got::add);
        assertTrue(got.isEmpty());
        assertEquals("No host aliases found in " + missing, status.get());
    }

    @Test
    void listsLocalFirstWhenTheClustersFileIsMissing() {
        ClusterInventory inventory = inventory();
        inventory.load();
        assertEquals(List.of(MainViewModel.LOCAL), List.copyOf(inventory.clusters()));
    }
}
