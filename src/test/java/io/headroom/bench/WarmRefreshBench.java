package io.headroom.bench;

import io.headroom.engine.HeadroomVersion;
import io.headroom.engine.ScanEngine;
import io.headroom.engine.ScanListener;
import io.headroom.engine.ScanOptions;
import io.headroom.engine.TransportRunners;
import io.headroom.analysis.Analyzer;
import io.headroom.model.HostFacts;
import io.headroom.model.HostReport;
import io.headroom.model.ScanReport;
import io.headroom.probe.HostFactsAssembler;
import io.headroom.probe.ProbeRunner;
import io.headroom.probe.ProbeScript;
import io.headroom.probe.parse.ProbeStreamParser;
import io.headroom.ssh.Prompter;
import io.headroom.ssh.SshConfigResolver;
import io.headroom.ssh.SshConnectionPool;
import io.headroom.ssh.SshConnector;
import io.headroom.ssh.SshProbeRunner;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Benchmark harness (a main(), not a JUnit test) for Headroom's in-JVM scan times: a cold scan on a
 * fresh {@link TransportRunners} (resolve + handshake + auth + probe, no JVM start) and warm refreshes
 * on kept connections (one exec per target, no handshake). Driven by {@code lab/bench/fleet}.
 *
 * <pre>
 * java -cp test-classes:headroom.jar:lib/* io.headroom.bench.WarmRefreshBench \
 *      --ssh-config CFG [--parallel N] [--timeout SECS] [--no-bc-provider]
 *      [--serve | --rounds R --refreshes K] TARGET...
 * </pre>
 *
 * <p>{@code --serve} reads one command per line on stdin and answers one line on stdout, so a shell
 * script can alternate it with another tool:
 * <ul>
 *   <li>{@code cold} → {@code cold MS scanned=K/N cpu=MS}: fresh runners, one scan, close.</li>
 *   <li>{@code connect} → {@code connect MS scanned=K/N warm=W}: opens the kept runners (first scan).</li>
 *   <li>{@code light K} → the same line as {@code warm} (first word {@code light}): live mode's light refresh.</li>
 *   <li>{@code warm K} → {@code warm MS1,MS2,… scanned=MIN/N warm=W reconnects=R cpu=MS1,MS2,…}: K refreshes on the
 *       kept runners; {@code reconnects} counts refreshes after which the pool was not exactly N.</li>
 *   <li>{@code phases} → {@code phases resolve=MS connect=MS exec=MS parse=MS exec1=MS}: a cold scan
 *       taken apart, each phase for all targets at once (wall ms): {@code ssh -G} per target, SSH
 *       handshake + auth, probe exec on the fresh connections, parse + analyze (summed CPU-ish ms),
 *       then one probe exec on one warm connection alone.</li>
 *   <li>{@code quit}.</li>
 * </ul>
 * {@code cpu} is this JVM's process CPU time (all threads: JIT, GC, sshj readers) during the command.
 * Any target not scanned makes the answer start with {@code ERR} and name the error: a benchmark that
 * measures failures is worthless.
 */
public final class WarmRefreshBench {
    private final List<String> targets;
    private final TransportRunners.Options runnerOptions;
    private final ScanOptions scanOptions;
    private TransportRunners kept;

    private WarmRefreshBench(List<String> targets, Path sshConfig, int parallel, Duration timeout) {
        this.targets = List.copyOf(targets);
        this.runnerOptions = new TransportRunners.Options(sshConfig, Duration.ofSeconds(30), SshProbeRunner.SudoMode.AUTO);
        this.scanOptions = new ScanOptions(null, timeout, parallel);
    }

    public static void main(String[] args) throws Exception {
        Path cfg = null;
        int parallel = -1;
        int timeout = 120;
        boolean serve = false;
        int rounds = 5;
        int refreshes = 10;
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--ssh-config" -> cfg = Path.of(args[++i]);
                case "--parallel" -> parallel = Integer.parseInt(args[++i]);
                case "--timeout" -> timeout = Integer.parseInt(args[++i]);
                case "--serve" -> serve = true;
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--refreshes" -> refreshes = Integer.parseInt(args[++i]);
                // experiment only: sshj without registering the BouncyCastle JCE provider (JDK providers)
                case "--no-bc-provider" -> net.schmizz.sshj.common.SecurityUtils.setRegisterBouncyCastle(false);
                default -> targets.add(args[i]);
            }
        }
        if (targets.isEmpty()) {
            System.err.println("usage: WarmRefreshBench --ssh-config CFG [--parallel N] [--serve | --rounds R --refreshes K] TARGET...");
            System.exit(2);
        }
        WarmRefreshBench bench = new WarmRefreshBench(targets, cfg, parallel > 0 ? parallel : targets.size(),
                Duration.ofSeconds(timeout));
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try {
            if (serve) {
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                String line;
                while ((line = in.readLine()) != null) {
                    String[] w = line.strip().split("\\s+");
                    if (w[0].equals("quit")) {
                        break;
                    }
                    out.println(bench.command(w));
                }
            } else {
                out.println(bench.command(new String[] {"connect"}));
                for (int r = 1; r <= rounds; r++) {
                    out.println("round " + r + " " + bench.command(new String[] {"cold"}));
                    out.println("round " + r + " " + bench.command(new String[] {"warm", Integer.toString(refreshes)}));
                }
            }
        } finally {
            if (bench.kept != null) {
                bench.kept.close();
            }
        }
        System.exit(0);
    }

    private String command(String[] w) {
        try {
            return switch (w[0]) {
                case "cold" -> cold();
                case "connect" -> connect();
                case "warm" -> warm(w.length > 1 ? Integer.parseInt(w[1]) : 10, false);
                case "light" -> warm(w.length > 1 ? Integer.parseInt(w[1]) : 10, true);
                case "phases" -> phases();
                default -> "ERR unknown command " + String.join(" ", w);
            };
        } catch (Exception e) {
            return "ERR " + e;
        }
    }

    private String cold() throws InterruptedException {
        long c0 = cpuNanos();
        long t0 = System.nanoTime();
        ScanReport r;
        try (TransportRunners runners = new TransportRunners(Prompter.NON_INTERACTIVE, runnerOptions)) {
            r = new ScanEngine(runners, HeadroomVersion.get()).scan(targets, scanOptions, ScanListener.NONE);
        }
        long ms = millisSince(t0);
        long cpu = (cpuNanos() - c0) / 1_000_000;
        String bad = failures(r);
        return (bad == null ? "" : "ERR ") + "cold " + ms + " scanned=" + scanned(r) + "/" + targets.size()
                + " cpu=" + cpu + (bad == null ? "" : " " + bad);
    }

    /** CPU time of the whole JVM process, or 0 when the platform does not say. */
    private static long cpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(0, os.getProcessCpuTime());
        }
        return 0;
    }

    private String connect() throws InterruptedException {
        if (kept != null) {
            kept.close();
        }
        kept = new TransportRunners(Prompter.NON_INTERACTIVE, runnerOptions);
        long t0 = System.nanoTime();
        ScanReport r = new ScanEngine(kept, HeadroomVersion.get()).scan(targets, scanOptions, ScanListener.NONE);
        long ms = millisSince(t0);
        String bad = failures(r);
        return (bad == null ? "" : "ERR ") + "connect " + ms + " scanned=" + scanned(r) + "/" + targets.size()
                + " warm=" + kept.warmConnections() + (bad == null ? "" : " " + bad);
    }

    /**
     * K refreshes on the kept connections: each a full scan ({@code warm}), or live mode's light refresh
     * ({@code light}: one full scan first, untimed, then K {@link ScanEngine#refresh} calls, which must all
     * stay light on the fleet's unchanging hosts).
     */
    private String warm(int k, boolean light) throws InterruptedException {
        if (kept == null) {
            return "ERR warm before connect";
        }
        ScanEngine engine = new ScanEngine(kept, HeadroomVersion.get());
        int fallbacks = 0;
        if (light) {
            engine.scan(targets, scanOptions, ScanListener.NONE);
        }
        StringJoiner times = new StringJoiner(",");
        StringJoiner cpus = new StringJoiner(",");
        long minScanned = Long.MAX_VALUE;
        int reconnects = 0;
        String bad = null;
        long[] perHost = new long[0];
        for (int i = 0; i < k; i++) {
            int before = kept.warmConnections();
            long c0 = cpuNanos();
            long t0 = System.nanoTime();
            ScanReport r = light ? engine.refresh(targets, scanOptions, ScanListener.NONE)
                    : engine.scan(targets, scanOptions, ScanListener.NONE);
            long ms = millisSince(t0);
            times.add(Long.toString(ms));
            // a host whose containers changed gets the full probe, as it should: counted, not hidden
            if (light && targets.stream().anyMatch(t -> engine.refreshesSinceFullScan(t) < 1)) {
                fallbacks++;
            }
            cpus.add(Long.toString((cpuNanos() - c0) / 1_000_000));
            minScanned = Math.min(minScanned, scanned(r));
            if (before != targets.size() || kept.warmConnections() != targets.size()) {
                reconnects++;
            }
            if (bad == null) {
                bad = failures(r);
            }
            perHost = r.hosts().stream().mapToLong(HostReport::scanMillis).sorted().toArray();
        }
        String hostMs = perHost.length == 0 ? "-" : perHost[0] + "/" + perHost[perHost.length / 2] + "/" + perHost[perHost.length - 1];
        return (bad == null && reconnects == 0 ? "" : "ERR ") + (light ? "light " : "warm ") + times + " scanned=" + minScanned + "/"
                + targets.size() + " warm=" + kept.warmConnections() + " reconnects=" + reconnects
                + " lastHostMsMinMedMax=" + hostMs + " cpu=" + cpus + (light ? " fullProbeRefreshes=" + fallbacks : "")
                + (bad == null ? "" : " " + bad);
    }

    /** A cold scan taken apart into its phases, all targets at once per phase (like the engine does). */
    private String phases() throws Exception {
        SshConfigResolver resolver = new SshConfigResolver("ssh", runnerOptions.sshConfig());
        long t0 = System.nanoTime();
        parallel(t -> resolver.resolve(t));
        long resolveMs = millisSince(t0);
        try (SshConnectionPool pool = new SshConnectionPool(new SshConnector(resolver, Prompter.NON_INTERACTIVE,
                runnerOptions.connectTimeout(), true))) {
            t0 = System.nanoTime();
            parallel(pool::get);
            long connectMs = millisSince(t0);
            String[] nonces = new String[targets.size()];
            ProbeRunner.ProbeOutput[] outs = new ProbeRunner.ProbeOutput[targets.size()];
            t0 = System.nanoTime();
            parallel(t -> {
                int i = targets.indexOf(t);
                nonces[i] = ProbeScript.newNonce();
                outs[i] = new SshProbeRunner(pool, t, runnerOptions.sudo()).run(nonces[i], scanOptions.timeout());
            });
            long execMs = millisSince(t0);
            t0 = System.nanoTime();
            int scanned = 0;
            for (int i = 0; i < targets.size(); i++) {
                HostFacts f = HostFactsAssembler.assemble(targets.get(i), ProbeStreamParser.parse(outs[i].stdout(), nonces[i]));
                if (new Analyzer(null).analyze(f, 0).scanned()) {
                    scanned++;
                }
            }
            long parseMs = millisSince(t0);
            t0 = System.nanoTime();
            ProbeRunner.ProbeOutput one = new SshProbeRunner(pool, targets.get(0), runnerOptions.sudo())
                    .run(ProbeScript.newNonce(), scanOptions.timeout());
            long exec1Ms = millisSince(t0);
            return (scanned == targets.size() && one.stdout().contains(":done ") ? "" : "ERR ") + "phases resolve="
                    + resolveMs + " connect=" + connectMs + " exec=" + execMs + " parse=" + parseMs + " exec1=" + exec1Ms
                    + " scanned=" + scanned + "/" + targets.size();
        }
    }

    private interface TargetTask {
        void run(String target) throws Exception;
    }

    /** Runs a task for every target at once on virtual threads, up to the parallelism. */
    private void parallel(TargetTask task) throws Exception {
        Semaphore slots = new Semaphore(scanOptions.parallelism());
        List<Future<?>> fs = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String t : targets) {
                fs.add(pool.submit(() -> {
                    slots.acquire();
                    try {
                        task.run(t);
                    } finally {
                        slots.release();
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        }
    }

    private static long scanned(ScanReport r) {
        return r.hosts().stream().filter(HostReport::scanned).count();
    }

    /** The first error of a target that was not scanned (or a missing target), else null. */
    private String failures(ScanReport r) {
        if (r.hosts().size() != targets.size()) {
            return "hosts=" + r.hosts().size();
        }
        for (HostReport h : r.hosts()) {
            if (!h.scanned()) {
                return h.target() + ": " + (h.errors().isEmpty() ? "not scanned" : h.errors().get(0)).replace('\n', ' ');
            }
        }
        return null;
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
