package io.headroom.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.engine.TransportRunners;
import io.headroom.engine.inventory.Cluster;
import io.headroom.engine.inventory.Inventory;
import io.headroom.engine.inventory.SchedulerDiscovery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code headroom discover URL [--save NAME]}: the worker hosts a Dask scheduler knows, optionally saved as a cluster. */
@Command(name = "discover", mixinStandardHelpOptions = true, versionProvider = HeadroomCommand.Version.class,
        header = "Ask a Dask scheduler for its workers and their hosts; save them as a cluster.",
        description = "Reads the scheduler dashboard's /json/identity.json and lists each worker with its host, threads and"
                + " memory_limit. With --save the hosts become a cluster of the inventory: 'headroom scan --cluster NAME'.")
final class DiscoverCommand implements Callable<Integer> {
    @ParentCommand
    HeadroomCommand parent;

    @Parameters(paramLabel = "URL", description = "The scheduler's dashboard, e.g. http://10.0.0.5:8787.")
    String url;

    @Option(names = "--save", paramLabel = "NAME", description = "Save the worker hosts as this cluster in the inventory.")
    String saveName;

    @Option(names = "--json", description = "Print one JSON document instead of text.")
    boolean json;

    @Option(names = "--connect-timeout", paramLabel = "SECS", converter = Converters.Seconds.class,
            description = "Give up on the scheduler after this long (default 10).")
    Duration connectTimeout = TransportRunners.Options.DEFAULTS.connectTimeout();

    @Mixin
    InventoryOption inventory;

    @Override
    public Integer call() {
        CliContext cx = parent.context;
        SchedulerDiscovery.Result r;
        try {
            r = SchedulerDiscovery.discover(url, connectTimeout);
        } catch (IOException e) {
            cx.error(url + ": " + e.getMessage());
            return ExitCode.UNREACHABLE;
        }
        if (json) {
            ObjectNode node = new ObjectMapper().createObjectNode();
            node.put("url", url);
            node.put("schedulerAddress", r.schedulerAddress());
            ArrayNode ws = node.putArray("workers");
            for (SchedulerDiscovery.Worker w : r.workers()) {
                ws.addObject().put("address", w.address()).put("host", w.host()).put("name", w.name())
                        .put("nthreads", w.nthreads()).put("memoryLimitBytes", w.memoryLimitBytes());
            }
            ArrayNode hs = node.putArray("hosts");
            r.hosts().forEach(hs::add);
            cx.out.println(node.toPrettyString());
        } else {
            cx.out.println("Scheduler " + r.schedulerAddress() + " (" + url + "): " + r.workers().size() + " worker(s) on "
                    + r.hosts().size() + " host(s)");
            for (SchedulerDiscovery.Worker w : r.workers()) {
                cx.out.printf(Locale.ROOT, "  %-32s host %-16s name %-20s threads %-3d memory_limit %s%n", w.address(), w.host(),
                        w.name(), w.nthreads(), w.memoryLimitBytes() == null ? "none" : w.memoryLimitBytes() + " bytes");
            }
        }
        if (saveName != null) {
            Inventory inv = inventory.load();
            try {
                inv.add(new Cluster(saveName, r.hosts(), null, null, null, null, url));
            } catch (Inventory.InventoryException e) {
                cx.error(e.getMessage());
                return ExitCode.USAGE;
            }
            cx.err.println("saved cluster '" + saveName + "' with " + r.hosts().size() + " host(s) to " + inv.file());
        }
        return ExitCode.HEALTHY;
    }
}
