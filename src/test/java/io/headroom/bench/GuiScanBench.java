package io.headroom.bench;

import atlantafx.base.theme.PrimerLight;
import io.headroom.engine.HeadroomVersion;
import io.headroom.engine.ScanEngine;
import io.headroom.engine.TransportRunners;
import io.headroom.model.HostReport;
import io.headroom.ssh.Prompter;
import io.headroom.ssh.SshProbeRunner;
import io.headroom.ui.FxBackgroundExecutor;
import io.headroom.ui.FxStallMonitor;
import io.headroom.ui.MainView;
import io.headroom.ui.MainViewModel;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Benchmark harness (a main(), not a JUnit test) for the desktop app under a large scan: opens the
 * real {@link MainView} in a window (run it under Xvfb), selects a cluster of the given targets,
 * presses Scan and measures, while the scan runs, the longest gap between two JavaFX frames
 * ({@link FxStallMonitor}); after the scan it reports the process's resident memory. Driven by
 * {@code lab/bench/gui}.
 *
 * <pre>
 * java -cp test-classes:headroom.jar:lib/* io.headroom.bench.GuiScanBench --ssh-config CFG [--histogram] [--live SECONDS] TARGET...
 * </pre>
 *
 * Prints one line: {@code gui n=N scanned=K scan_ms=MS rss_mib=M rss_idle_mib=M hwm_mib=M heap_used_mib=M
 * max_gap_ms=MS max_gap_fx_cpu_ms=MS max_fx_busy_ms=MS stalls=S frames=F cpu_ms=MS}. {@code rss} is VmRSS of /proc/self/status one second
 * after the scan ended (the rows rendered), {@code rss_idle} ten seconds after it, {@code hwm} the peak (VmHWM), {@code heap_used} the Java
 * heap after a full GC; {@code stalls} counts gaps over 50 ms between frames from pressing Scan to
 * one second after its end; {@code max_gap_fx_cpu} is the FX thread's own CPU time within the longest
 * gap and {@code max_fx_busy} the most FX-thread CPU within any gap (a gap with little FX CPU is a GC
 * pause or a thread that found no free core, not work on the FX thread); {@code cpu} is the process CPU time for the whole run (start included).
 */
public final class GuiScanBench {
    private GuiScanBench() {
    }

    public static void main(String[] args) throws Exception {
        Path sshConfig = null;
        List<String> targets = new ArrayList<>();
        boolean histogram = false;
        int liveSeconds = 0;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--live")) {
                liveSeconds = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--ssh-config")) {
                sshConfig = Path.of(args[++i]);
            } else if (args[i].equals("--histogram")) {
                histogram = true;
            } else {
                targets.add(args[i]);
            }
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("usage: GuiScanBench [--ssh-config CFG] [--live SECONDS] TARGET...");
        }
        TransportRunners runners = new TransportRunners(Prompter.NON_INTERACTIVE,
                new TransportRunners.Options(sshConfig, Duration.ofSeconds(30), SshProbeRunner.SudoMode.AUTO));
        CountDownLatch started = new CountDownLatch(1);
        Platform.startup(started::countDown);
        started.await();

        AtomicReference<MainViewModel> vmRef = new AtomicReference<>();
        AtomicReference<FxStallMonitor> monitorRef = new AtomicReference<>();
        CountDownLatch shown = new CountDownLatch(1);
        Path inventory = Files.createTempFile("headroom-gui-bench", ".yaml");
        Platform.runLater(() -> {
            Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
            MainViewModel vm = new MainViewModel(new ScanEngine(runners, HeadroomVersion.get()), new FxBackgroundExecutor(),
                    inventory);
            MainView view = new MainView(vm, dark -> { });
            Stage stage = new Stage();
            stage.setScene(new Scene(view, 1280, 820));
            stage.show();
            FxStallMonitor monitor = new FxStallMonitor(false);
            monitor.start();
            vmRef.set(vm);
            monitorRef.set(monitor);
            shown.countDown();
        });
        shown.await();
        Thread.sleep(1000); // first layout and CSS done
        MainViewModel vm = vmRef.get();
        CountDownLatch done = new CountDownLatch(1);
        long[] t = new long[2];
        Platform.runLater(() -> {
            vm.selectedClusterProperty().set(new MainViewModel.ClusterItem("bench", List.copyOf(targets), null));
            monitorRef.get().reset();
            vm.scanningProperty().addListener((o, was, now) -> {
                if (was && !now) {
                    t[1] = System.nanoTime();
                    done.countDown();
                }
            });
            t[0] = System.nanoTime();
            vm.scan();
        });
        if (!done.await(600, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the scan did not finish within 600 s");
        }
        Thread.sleep(1000); // rows rendered
        long rss = statusKib("VmRSS");
        long hwm = statusKib("VmHWM");
        Gaps gaps = onFx(() -> Gaps.stop(monitorRef.get()));
        long scanned = onFx(() -> vm.lastReportProperty().get() == null ? -1
                : vm.lastReportProperty().get().hosts().stream().filter(HostReport::scanned).count());
        Thread.sleep(9000); // the window idles: what a user looking at the results has resident
        long rssIdle = statusKib("VmRSS");
        System.gc();
        Runtime rt = Runtime.getRuntime();
        long heapUsed = rt.totalMemory() - rt.freeMemory();
        long cpuNanos = ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
        System.out.printf("gui n=%d scanned=%d scan_ms=%d rss_mib=%d rss_idle_mib=%d hwm_mib=%d heap_used_mib=%d max_gap_ms=%d max_gap_fx_cpu_ms=%d max_fx_busy_ms=%d max_fx_busy_at_ms=%d stalls=%d frames=%d cpu_ms=%d%n",
                targets.size(), scanned, (t[1] - t[0]) / 1_000_000, rss / 1024, rssIdle / 1024, hwm / 1024, heapUsed >> 20,
                gaps.maxGapMs(), gaps.maxGapCpuMs(), gaps.maxBusyMs(),
                gaps.maxBusyAtNanos() == 0 ? -1 : (gaps.maxBusyAtNanos() - t[0]) / 1_000_000, gaps.stalls(), gaps.frames(),
                cpuNanos / 1_000_000);
        if (liveSeconds > 0) {
            live(vm, monitorRef.get(), liveSeconds, histogram);
        }
        if (histogram) {
            jcmd("GC.class_histogram"); // the heap's biggest classes
            jcmd("VM.native_memory", "summary"); // the rest of the JVM (needs -XX:NativeMemoryTracking=summary, else says it is off)
            // the biggest resident mappings (heap, Mesa, malloc arenas, thread stacks)
            toStdout("sh", "-c", "pmap -x " + ProcessHandle.current().pid() + " | sort -k3 -n -r | head -40");
        }
        System.out.printf("warm connections kept: %d%n", runners.warmConnections());
        runners.close();
        System.gc();
        System.out.printf("after closing the %s: heap_used_mib=%d rss_mib=%d%n", "kept connections",
                (rt.totalMemory() - rt.freeMemory()) >> 20, statusKib("VmRSS") / 1024);
        if (histogram) {
            jcmd("GC.class_histogram");
        }
        Files.deleteIfExists(inventory);
        Platform.exit();
        System.exit(0);
    }

    /**
     * Live mode for {@code seconds} after the full scan, driven by the window's own timer (a light refresh every
     * {@code liveSeconds}, skipped while one runs), then prints one line: {@code live seconds=S refreshes=R
     * live_rss_mib=M live_hwm_mib=M live_heap_used_mib=M live_max_gap_ms=MS live_max_gap_fx_cpu_ms=MS live_max_fx_busy_ms=MS
     * live_stalls=S live_frames=F}: RSS at the end of the period, the longest frame gap within it. With {@code histogram},
     * the heap's class histogram at the end of the period, while live mode still holds its connections.
     */
    private static void live(MainViewModel vm, FxStallMonitor monitor, int seconds, boolean histogram) throws Exception {
        AtomicInteger refreshes = new AtomicInteger();
        CountDownLatch on = new CountDownLatch(1);
        Platform.runLater(() -> {
            vm.scanningProperty().addListener((o, was, now) -> {
                if (was && !now) {
                    refreshes.incrementAndGet();
                }
            });
            monitor.reset();
            monitor.start();
            vm.liveProperty().set(true);
            on.countDown();
        });
        on.await();
        Thread.sleep(seconds * 1000L);
        long rss = statusKib("VmRSS");
        long hwm = statusKib("VmHWM");
        if (histogram) {
            jcmd("GC.class_histogram"); // what live mode holds, its warm connections still open
        }
        Gaps gaps = onFx(() -> {
            vm.liveProperty().set(false);
            return Gaps.stop(monitor);
        });
        System.gc();
        Runtime rt = Runtime.getRuntime();
        System.out.printf("live seconds=%d refreshes=%d live_rss_mib=%d live_hwm_mib=%d live_heap_used_mib=%d live_max_gap_ms=%d"
                + " live_max_gap_fx_cpu_ms=%d live_max_fx_busy_ms=%d live_stalls=%d live_frames=%d%n",
                seconds, refreshes.get(), rss / 1024, hwm / 1024, (rt.totalMemory() - rt.freeMemory()) >> 20, gaps.maxGapMs(),
                gaps.maxGapCpuMs(), gaps.maxBusyMs(), gaps.stalls(), gaps.frames());
    }

    /** What the {@link FxStallMonitor} measured. */
    private record Gaps(long maxGapNanos, long maxGapCpuNanos, long maxBusyNanos, long maxBusyAtNanos, long stalls, long frames) {
        /** Stops the monitor and reads it (FX thread). */
        static Gaps stop(FxStallMonitor m) {
            m.stop();
            return new Gaps(m.maxGapNanos(), m.maxGapCpuNanos(), m.maxBusyNanos(), m.maxBusyAtNanos(), m.stalls(), m.frames());
        }

        long maxGapMs() {
            return maxGapNanos / 1_000_000;
        }

        long maxGapCpuMs() {
            return maxGapCpuNanos / 1_000_000;
        }

        long maxBusyMs() {
            return maxBusyNanos / 1_000_000;
        }
    }

    /** Runs {@code c} on the FX thread and waits for its result. */
    private static <T> T onFx(Callable<T> c) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(c.call());
            } catch (Exception e) {
                f.completeExceptionally(e);
            }
        });
        return f.get();
    }

    /** Runs the running JDK's {@code jcmd} on this process, its output to stdout. */
    private static void jcmd(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(ProcessHandle.current().pid())));
        cmd.addAll(List.of(command));
        toStdout(cmd.toArray(String[]::new));
    }

    /** Runs a command with its output on this process's stdout and waits for it. */
    private static void toStdout(String... command) throws IOException, InterruptedException {
        new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.INHERIT).start().waitFor();
    }

    /** A "Vm…:  123 kB" line of /proc/self/status, in KiB; -1 when absent. */
    private static long statusKib(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.substring(key.length() + 1).trim().split("\\s+")[0]);
            }
        }
        return -1;
    }
}
