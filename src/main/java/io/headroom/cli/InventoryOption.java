package io.headroom.cli;

import io.headroom.engine.inventory.ConfigPaths;
import io.headroom.engine.inventory.Inventory;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;

/** {@code --inventory FILE}: the clusters file, shared by scan, fix, discover and clusters. */
final class InventoryOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--inventory", paramLabel = "FILE",
            description = "The clusters file (default: ~/.config/headroom/clusters.yaml on Linux, or under $$XDG_CONFIG_HOME).")
    Path file;

    /** The inventory, or a usage error naming what is wrong with the file. */
    Inventory load() {
        try {
            return Inventory.load(file != null ? file : ConfigPaths.inventoryFile());
        } catch (Inventory.InventoryException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
