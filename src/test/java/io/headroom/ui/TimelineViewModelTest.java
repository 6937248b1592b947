package io.headroom.ui;

import io.headroom.analysis.RecommendedLimit;
import io.headroom.engine.FixtureRunners;
import io.headroom.engine.ScanEngine;
import io.headroom.model.DeathCause;
import io.headroom.model.DeathTimeline;
import io.headroom.model.HostReport;
import io.headroom.model.ScanReport;
import io.headroom.model.WorkerDeath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The death timeline's ViewModel on the real deaths of the issue-20 lab ({@link DeathLab}: the deaths script's real
 * output, parsed and joined by the real assembler and {@code DeathJoin}), synchronously, without the FX thread.
 */
class TimelineViewModelTest {
    static final Instant READ_AT = Instant.parse("2026-12-06T00:00:00Z");
    static final Instant SINCE = READ_AT.minus(Duration.ofHours(24));

    @TempDir
    Path dir;

    private final AtomicInteger fetches = new AtomicInteger();

    private TimelineViewModel timeline(HostReport h, MainViewModel.Session session) {
        return new TimelineViewModel(h, session, (host, window) -> {
            fetches.incrementAndGet();
            return new TimelineViewModel.Fetched(DeathLab.timeline(host), READ_AT.minus(window), READ_AT);
        }, BackgroundExecutor.synchronous(), Clock.fixed(READ_AT, ZoneOffset.UTC), ZoneOffset.UTC, d -> null);
    }

    private static MainViewModel.Session noSession() {
        return new MainViewModel.Session(List.of(), Map.of());
    }

    @Test
    void readsOnlyWhenOpenedAndOnlyOnce() {
        TimelineViewModel t = timeline(DeathLab.report(), noSession());
        assertEquals(TimelineViewModel.State.IDLE, t.stateProperty().get());
        assertEquals(0, fetches.get(), "nothing is read before the user opens the timeline");
        t.opened();
        t.opened();
        assertEquals(TimelineViewModel.State.LOADED, t.stateProperty().get());
        assertEquals(1, fetches.get());
        assertEquals("6 deaths since " + SINCE + ": click a mark for its evidence and the fix. 1 pause.", t.messageProperty().get());
        t.lookForDeaths();
        assertEquals(2, fetches.get(), "the button reads again");
    }

    @Test
    void oneRowPerWorkerContainerWithItsDeathsAndPauses() {
        TimelineViewModel t = timeline(DeathLab.report(), noSession());
        t.opened();
        List<TimelineViewModel.Row> rows = t.rowsProperty().get();
        assertEquals(List.of(DeathLab.FAST_NAME, DeathLab.SLOW_NAME, "f1e5d9bbea86", "dd690d680018", "f50c1aa5ad4e", "98243c7c0c07"),
                rows.stream().map(TimelineViewModel.Row::name).toList(),
                "the scan's workers first, then the containers the kernel named that the engine no longer lists");
        TimelineViewModel.Row fast = rows.get(0);
        assertEquals(256 * DeathLab.MIB, fast.limitBytes());
        assertEquals(1, fast.marks().size());
        TimelineViewModel.Mark kill = fast.marks().get(0);
        assertEquals(TimelineViewModel.MarkKind.DEATH, kill.kind());
        assertEquals(DeathCause.KERNEL_OOM_CONTAINER, kill.death().cause());
        assertEquals(Instant.parse("2026-12-05T23:42:07.624047Z"), kill.time());
        TimelineViewModel.Axis a = t.axisProperty().get();
        assertEquals(SINCE, a.start());
        assertEquals(READ_AT, a.end());
        assertEquals(Duration.between(SINCE, kill.time()).toMillis() / (double) Duration.ofHours(24).toMillis(), kill.fraction(), 1e-9);
        TimelineViewModel.Row slow = rows.get(1);
        assertEquals(List.of(TimelineViewModel.MarkKind.UNMANAGED_HIGH, TimelineViewModel.MarkKind.PAUSE, TimelineViewModel.MarkKind.DEATH),
                slow.marks().stream().map(TimelineViewModel.Mark::kind).toList());
        assertEquals(DeathCause.DASK_NANNY_RESTART, slow.marks().get(2).death().cause());
        assertEquals(209715200L, slow.restartBytes() == null ? null : Math.round(slow.restartBytes() / 0.95),
                "the nanny's restart point is 95% of --memory-limit 200MiB");
        for (TimelineViewModel.Row r : rows) {
            r.marks().forEach(m -> assertTrue(m.fraction() >= 0 && m.fraction() <= 1, m.toString()));
        }
        assertTrue(t.untimedProperty().get().isEmpty());
        List<TimelineViewModel.Tick> ticks = a.ticks();
        assertEquals(9, ticks.size(), ticks.toString());
        assertEquals("Dec 5 00:00", ticks.get(0).label());
        assertEquals("Dec 5 03:00", ticks.get(1).label(), "3-hour steps over 24 h, in UTC");
        assertEquals(0.125, ticks.get(1).fraction(), 1e-12);
        for (int i = 1; i < ticks.size(); i++) {
            assertTrue(ticks.get(i).fraction() > ticks.get(i - 1).fraction());
        }
    }

    @Test
    void aMarkShowsTheClisTextAndNumbers() {
        TimelineViewModel t = timeline(DeathLab.report(), noSession());
        t.opened();
        TimelineViewModel.Mark kill = t.rowsProperty().get().get(0).marks().get(0);
        t.selectedProperty().set(kill);
        TimelineViewModel.Details d = t.detailsProperty().get();
        assertEquals("2026-12-05T23:42:07.624047Z  KERNEL_OOM_CONTAINER  i20-deaths_worker-fast_1  pid 10 in the container"
                + "  pid 7879 on the host", d.head());
        assertEquals("limit 256.0 MiB, Dask's budget 256.0 MiB", d.figures());
        assertEquals(kill.death().evidence(), d.evidence());
        assertEquals(3, d.evidence().size());
        assertTrue(d.evidence().get(d.evidence().size() - 1).contains("Worker process 10 was killed by signal 9"), d.evidence().toString());
        assertEquals(kill.death().fix(), d.fix());
        assertTrue(d.fix().contains("--memory-limit 230.0 MiB"), d.fix());
        assertTrue(d.cause().startsWith("The kernel's OOM killer killed the worker inside its container"), d.cause());
        assertNull(d.uncertain());
        assertNull(d.noFix(), "the scan knows the container: the wizard can start from it");
    }

    @Test
    void aDeathInARemovedContainerIsUncertainAndCannotStartTheWizard() {
        TimelineViewModel t = timeline(DeathLab.report(), noSession());
        t.opened();
        TimelineViewModel.Mark old = t.rowsProperty().get().get(2).marks().get(0);
        t.selectedProperty().set(old);
        TimelineViewModel.Details d = t.detailsProperty().get();
        assertTrue(d.uncertain().contains("which the engine no longer lists"), d.uncertain());
        assertEquals("The death names no container this scan knows.", d.noFix());
        assertNull(t.fixWizard());
    }

    @Test
    void aPauseIsNotADeath() {
        TimelineViewModel t = timeline(DeathLab.report(), noSession());
        t.opened();
        TimelineViewModel.Mark pause = t.rowsProperty().get().get(1).marks().get(1);
        t.selectedProperty().set(pause);
        TimelineViewModel.Details d = t.detailsProperty().get();
        assertTrue(d.head().startsWith("2026-12-05T23:40:35.314Z  PAUSED  i20-deaths_worker-slow_1"), d.head());
        assertEquals(List.of(pause.warning().line()), d.evidence());
        assertNull(d.fix());
        assertNotNull(d.noFix());
    }

    @Test
    void noDeathsErrorsAndLoadingSayWhat() {
        HostReport h = DeathLab.report();
        TimelineViewModel none = new TimelineViewModel(h, noSession(), (host, w) -> new TimelineViewModel.Fetched(
                new DeathTimeline("local", List.of(), List.of(), List.of(), List.of("the kernel log: dmesg: read kernel buffer failed")),
                READ_AT.minus(w), READ_AT), BackgroundExecutor.synchronous(), Clock.fixed(READ_AT, ZoneOffset.UTC), ZoneOffset.UTC, d -> null);
        none.opened();
        assertEquals("No deaths since " + SINCE + ". Not read: the kernel log: dmesg: read kernel buffer failed.", none.messageProperty().get());
        assertTrue(none.rowsProperty().get().stream().allMatch(r -> r.marks().isEmpty()));
        assertEquals(2, none.rowsProperty().get().size(), "every worker has its row, deaths or not");

        TimelineViewModel failing = new TimelineViewModel(h, noSession(), (host, w) -> {
            throw new java.io.IOException("ssh: connect to host vm1 port 22: Connection refused");
        }, BackgroundExecutor.synchronous(), Clock.fixed(READ_AT, ZoneOffset.UTC), ZoneOffset.UTC, d -> null);
        failing.opened();
        assertEquals(TimelineViewModel.State.ERROR, failing.stateProperty().get());
        assertEquals("Could not read the deaths of local: ssh: connect to host vm1 port 22: Connection refused", failing.messageProperty().get());

        List<Runnable> later = new ArrayList<>();
        BackgroundExecutor deferred = new BackgroundExecutor() {
            @Override
            public <T> Task submit(java.util.concurrent.Callable<T> work, java.util.function.Consumer<T> ok,
                                   java.util.function.Consumer<Throwable> bad) {
                later.add(() -> {
                    try {
                        ok.accept(work.call());
                    } catch (Exception e) {
                        bad.accept(e);
                    }
                });
                return () -> { };
            }

            @Override
            public void onUiThread(Runnable r) {
                r.run();
            }
        };
        TimelineViewModel loading = new TimelineViewModel(h, noSession(), (host, w) -> new TimelineViewModel.Fetched(
                DeathLab.timeline(host), READ_AT.minus(w), READ_AT), deferred, Clock.fixed(READ_AT, ZoneOffset.UTC), ZoneOffset.UTC, d -> null);
        loading.opened();
        assertEquals(TimelineViewModel.State.LOADING, loading.stateProperty().get());
        assertTrue(loading.messageProperty().get().startsWith("Reading the kernel log"), loading.messageProperty().get());
        later.get(0).run();
        assertEquals(TimelineViewModel.State.LOADED, loading.stateProperty().get());
    }

    @Test
    void aLiveRefreshRedrawsTheHistoryButNeverReads() {
        HostReport h = DeathLab.report();
        TimelineViewModel t = timeline(h, noSession());
        t.opened();
        long base = Instant.parse("2026-12-05T23:30:00Z").toEpochMilli();
        List<MainViewModel.Sample> usage = new ArrayList<>();
        List<MainViewModel.Sample> avail = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            usage.add(new MainViewModel.Sample(base + i * 10_000L, (100 + 20 * i) * DeathLab.MIB));
            avail.add(new MainViewModel.Sample(base + i * 10_000L, 5 * DeathLab.GIB - i * DeathLab.MIB));
        }
        t.selectedProperty().set(t.rowsProperty().get().get(0).marks().get(0));
        t.update(h, new MainViewModel.Session(avail, Map.of(DeathLab.FAST_NAME, usage)));
        assertEquals(1, fetches.get(), "a refresh never reads deaths");
        TimelineViewModel.Row fast = t.rowsProperty().get().get(0);
        assertEquals(6, fast.usage().size());
        assertEquals(200 * DeathLab.MIB, fast.usage().get(5).bytes());
        assertEquals(t.axisProperty().get().fraction(Instant.ofEpochMilli(base)), fast.usage().get(0).fraction(), 1e-12);
        assertEquals(6, t.memAvailableProperty().get().size());
        assertNotNull(t.detailsProperty().get(), "the selected death stays selected");
        assertSame(fast.marks().get(0), t.selectedProperty().get(), "… as the mark drawn now");
    }

    @Test
    void theMainWindowKeepsOneTimelinePerHostAndStartsTheWizardFromADeath() throws Exception {
        MainViewModel vm = new MainViewModel(new ScanEngine(FixtureRunners.of(Map.of()), "test"), BackgroundExecutor.synchronous(),
                dir.resolve("clusters.yaml"));
        AtomicInteger reads = new AtomicInteger();
        vm.enableDeaths((h, since) -> {
            reads.incrementAndGet();
            return DeathLab.timeline(h);
        });
        HostReport h = DeathLab.report();
        vm.show(new ScanReport("t", 1, List.of(h)), MainViewModel.Source.LIVE, "");
        TimelineViewModel t = vm.timeline(h);
        t.opened();
        assertSame(t, vm.timeline(h), "a refresh of the same host keeps its timeline, and reads nothing");
        assertEquals(1, reads.get());
        TimelineViewModel.Mark kill = t.rowsProperty().get().get(0).marks().get(0);
        t.selectedProperty().set(kill);
        FixWizardViewModel w = t.fixWizard();
        assertEquals(DeathLab.FAST_NAME, w.focusContainer());
        assertTrue(w.originProperty().get().startsWith("Started from the death of i20-deaths_worker-fast_1 at 2026-12-05T23:42:07.624047Z"
                + " (KERNEL_OOM_CONTAINER): The kernel killed the worker"), w.originProperty().get());
        WhatIfViewModel whatIf = w.whatIf();
        assertEquals(DeathLab.FAST_NAME, whatIf.selectedProperty().get().container().facts().name());
        Long rec = RecommendedLimit.forContainer(h.findings(), DeathLab.FAST_NAME);
        assertNotNull(rec);
        assertEquals(Long.toString(rec), whatIf.limitProperty().get(), "the what-if starts at Headroom's recommended limit");

        WorkerDeath slowDeath = t.rowsProperty().get().get(1).marks().get(2).death();
        assertEquals(DeathLab.SLOW_NAME, vm.fixWizardFromDeath(h, slowDeath).whatIf().selectedProperty().get().container().facts().name());
    }

    @Test
    void theDemoShowsTheLabsDeathsAndASnapshotCannotRead() throws Exception {
        MainViewModel vm = new MainViewModel(new ScanEngine(FixtureRunners.of(Map.of()), "test"), BackgroundExecutor.synchronous(),
                dir.resolve("clusters.yaml"));
        HostReport h = DeathLab.report();
        vm.show(new ScanReport("t", 1, List.of(h)), MainViewModel.Source.DEMO, "DEMO");
        TimelineViewModel demo = vm.timeline(h);
        demo.opened();
        assertEquals(TimelineViewModel.State.LOADED, demo.stateProperty().get());
        assertTrue(demo.noteProperty().get().startsWith("DEMO: these deaths were captured in the Headroom lab"));
        assertEquals("6 deaths in the logs read: click a mark for its evidence and the fix. 1 pause.", demo.messageProperty().get());
        assertEquals(List.of(DeathLab.SLOW_NAME, DeathLab.FAST_NAME, "f1e5d9bbea86", "dd690d680018", "f50c1aa5ad4e", "98243c7c0c07"),
                demo.rowsProperty().get().stream().map(TimelineViewModel.Row::name).toList());
        TimelineViewModel.Axis a = demo.axisProperty().get();
        assertTrue(a.start().isBefore(Instant.parse("2026-12-05T15:22:36Z")) && a.end().isAfter(Instant.parse("2026-12-05T23:42:08Z")),
                "without a window the axis spans the events: " + a);

        vm.show(new ScanReport("t", 1, List.of(h)), MainViewModel.Source.LIVE, "");
        Path file = dir.resolve("lab.headroom.json");
        vm.saveSnapshot(file);
        vm.openSnapshot(file);
        assertEquals(MainViewModel.Source.SNAPSHOT, vm.sourceProperty().get());
        TimelineViewModel snap = vm.timeline(vm.hosts().get(0).reportProperty().get());
        snap.opened();
        assertEquals(TimelineViewModel.State.ERROR, snap.stateProperty().get());
        assertTrue(snap.messageProperty().get().contains("a snapshot is offline"), snap.messageProperty().get());
    }
}
