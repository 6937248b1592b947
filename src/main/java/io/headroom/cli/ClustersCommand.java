package io.headroom.cli;

import io.headroom.engine.inventory.Cluster;
import io.headroom.engine.inventory.Inventory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import java.util.Comparator;
import java.util.concurrent.Callable;

/** {@code headroom clusters}: the clusters of the inventory. */
@Command(name = "clusters", mixinStandardHelpOptions = true, versionProvider = HeadroomCommand.Version.class,
        header = "List the clusters of the inventory.",
        description = "Each cluster with its hosts, jump host and scheduler; add one with 'headroom discover URL --save NAME'.")
final class ClustersCommand implements Callable<Integer> {
    @ParentCommand
    HeadroomCommand parent;

    @Mixin
    InventoryOption inventory;

    @Override
    public Integer call() {
        CliContext cx = parent.context;
        Inventory inv = inventory.load();
        if (inv.clusters().isEmpty()) {
            cx.out.println("No clusters in " + inv.file() + " (add one with: headroom discover URL --save NAME)");
            return ExitCode.HEALTHY;
        }
        cx.out.println("Clusters in " + inv.file() + ":");
        inv.clusters().values().stream().sorted(Comparator.comparing(Cluster::name)).forEach(c ->
                cx.out.println("  " + c.name() + ": " + String.join(", ", c.targets())
                        + (c.jump() == null ? "" : " (via " + c.jump() + ")")
                        + (c.scheduler() == null ? "" : " scheduler " + c.scheduler())));
        return ExitCode.HEALTHY;
    }
}
