package io.headroom.ui;

import io.headroom.engine.report.ContainerFigures;
import io.headroom.model.ContainerReport;
import io.headroom.model.DaskLogEvent;
import io.headroom.model.DeathCause;
import io.headroom.model.DeathTimeline;
import io.headroom.model.HostReport;
import io.headroom.model.WorkerDeath;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The host detail's death timeline (issue 20): one row per Dask worker container, its deaths and pauses as
 * marks on a time axis, live mode's memory history behind them, and the evidence, verdict, cause and fix of
 * the mark the user selects. The evidence is read from the VM <b>on demand only</b> ({@link #lookForDeaths()},
 * when the user opens the timeline or presses the button), through the {@link BackgroundExecutor}; a live
 * refresh only redraws the history ({@link #update}). Every death's text and numbers are
 * {@link io.headroom.analysis.DeathJoin}'s, as {@code headroom deaths} prints them. No JavaFX nodes.
 */
public final class TimelineViewModel {
    /** What the timeline shows. */
    public enum State { IDLE, LOADING, LOADED, ERROR }

    /** What a mark stands for. */
    public enum MarkKind { DEATH, PAUSE, UNMANAGED_HIGH }

    /** The windows the user can choose, newest last; 24 h is the default, as {@code headroom deaths --since}. */
    public static final List<Duration> WINDOWS = List.of(Duration.ofHours(1), Duration.ofHours(6), Duration.ofHours(24),
            Duration.ofDays(7));

    /**
     * What a fetch gave.
     *
     * @param timeline the deaths, pauses and poison tasks
     * @param since    the start of the window read, or null when everything the logs held was read
     * @param until    when it was read, or null (captured output: the axis ends at the last event)
     * @param note     shown above the timeline (e.g. that the demo's deaths were captured in the lab), or null
     * @param scanRows whether the scan's worker containers get rows even without marks (false for deaths captured
     *                 on another VM, the demo's)
     */
    public record Fetched(DeathTimeline timeline, Instant since, Instant until, String note, boolean scanRows) {
        /** Deaths read from the VM itself. */
        public Fetched(DeathTimeline timeline, Instant since, Instant until) {
            this(timeline, since, until, null, true);
        }
    }

    /** Reads a VM's deaths; called off the UI thread. */
    @FunctionalInterface
    public interface Fetcher {
        /**
         * @param host   the scanned VM
         * @param window how far back to look from now
         */
        Fetched fetch(HostReport host, Duration window) throws Exception;
    }

    /** A tick of the time axis at {@code fraction} (0 = start, 1 = end). */
    public record Tick(double fraction, String label) {
    }

    /**
     * The time axis.
     *
     * @param start the left end (an Instant)
     * @param end   the right end
     * @param ticks labelled ticks, left to right
     * @param zone  the zone the tick labels are in, in words
     */
    public record Axis(Instant start, Instant end, List<Tick> ticks, String zone) {
        /** Where {@code t} lies: 0 at start, 1 at end, clamped. */
        public double fraction(Instant t) {
            long span = Math.max(1, Duration.between(start, end).toMillis());
            return Math.max(0, Math.min(1, Duration.between(start, t).toMillis() / (double) span));
        }
    }

    /**
     * A mark on a row.
     *
     * @param kind     death, pause or "unmanaged memory is high"
     * @param time     when (an Instant), or null for a death no source gave a time (then not on the axis)
     * @param fraction where on the axis (0..1), or -1 when {@code time} is null
     * @param label    a short text for the tooltip and the mark's accessible name
     * @param death    the death, for {@link MarkKind#DEATH}
     * @param warning  the Dask line, for a pause or warning
     */
    public record Mark(MarkKind kind, Instant time, double fraction, String label, WorkerDeath death, DaskLogEvent warning) {
    }

    /** A sample of live mode's history on the axis: {@code bytes} at {@code fraction}. */
    public record Point(double fraction, long bytes) {
    }

    /**
     * One worker container's row.
     *
     * @param name         the container's name (or its short id, or "(unknown container)")
     * @param limitBytes   its cgroup limit (bytes) as the scan read it, or null (unlimited or not scanned)
     * @param restartBytes Dask's restart point (bytes, Σ of its workers'), or null
     * @param marks        timed marks, oldest first
     * @param usage        live mode's usage samples inside the axis (bytes), oldest first
     */
    public record Row(String name, Long limitBytes, Long restartBytes, List<Mark> marks, List<Point> usage) {
        public Row {
            marks = List.copyOf(marks);
            usage = List.copyOf(usage);
        }
    }

    /**
     * What the selected mark shows.
     *
     * @param head      the CLI's line: time, verdict, container, worker, PIDs
     * @param cause     the cause in plain words
     * @param figures   limit and Dask's budget as the CLI prints them, or null
     * @param uncertain why the verdict may be wrong, or null
     * @param evidence  the lines the verdict rests on
     * @param fix       the fix in plain words and bytes, or null (a pause has none)
     * @param poison    the poison task this death belongs to, in words, or null
     * @param noFix     why the fix wizard cannot start from this mark, or null when it can
     */
    public record Details(String head, String cause, String figures, String uncertain, List<String> evidence, String fix,
                          String poison, String noFix) {
        public Details {
            evidence = List.copyOf(evidence);
        }
    }

    private static final List<Duration> STEPS = List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(10),
            Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(3),
            Duration.ofHours(6), Duration.ofHours(12), Duration.ofDays(1), Duration.ofDays(2));
    private static final int MAX_TICKS = 8;

    private final Fetcher fetcher;
    private final BackgroundExecutor executor;
    private final Clock clock;
    private final ZoneId zone;
    private final Function<WorkerDeath, FixWizardViewModel> fixWizards;
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(State.IDLE);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper note = new ReadOnlyStringWrapper();
    private final ObjectProperty<Duration> window = new SimpleObjectProperty<>(Duration.ofHours(24));
    private final ReadOnlyObjectWrapper<List<Row>> rows = new ReadOnlyObjectWrapper<>(List.of());
    private final ReadOnlyObjectWrapper<List<Point>> memAvailable = new ReadOnlyObjectWrapper<>(List.of());
    private final ReadOnlyObjectWrapper<List<Mark>> untimed = new ReadOnlyObjectWrapper<>(List.of());
    private final ReadOnlyObjectWrapper<Axis> axis = new ReadOnlyObjectWrapper<>();
    private final ObjectProperty<Mark> selected = new SimpleObjectProperty<>();
    private final ReadOnlyObjectWrapper<Details> details = new ReadOnlyObjectWrapper<>();
    private HostReport report;
    private MainViewModel.Session session;
    private Fetched fetched;
    private BackgroundExecutor.Task inFlight;
    private int generation;

    /**
     * @param report     the VM's scan
     * @param session    live mode's history of the VM (empty lists when none)
     * @param fetcher    reads the VM's deaths (or says why it cannot)
     * @param executor   runs the fetch off the UI thread
     * @param clock      now, for the window's start
     * @param zone       the zone of the axis labels
     * @param fixWizards the fix wizard started from a death (preselected on its container)
     */
    public TimelineViewModel(HostReport report, MainViewModel.Session session, Fetcher fetcher, BackgroundExecutor executor,
                             Clock clock, ZoneId zone, Function<WorkerDeath, FixWizardViewModel> fixWizards) {
        this.report = report;
        this.session = session;
        this.fetcher = fetcher;
        this.executor = executor;
        this.clock = clock;
        this.zone = zone;
        this.fixWizards = fixWizards;
        message.set("Deaths are read from the VM only when asked: press Look for deaths.");
        selected.addListener((o, a, m) -> details.set(m == null ? null : details(m)));
        window.addListener((o, a, w) -> {
            if (state.get() != State.IDLE) {
                lookForDeaths();
            }
        });
    }

    /** The user opened the timeline: reads the deaths the first time only. */
    public void opened() {
        if (state.get() == State.IDLE) {
            lookForDeaths();
        }
    }

    /** Reads the VM's deaths in the chosen window, off the UI thread (a fetch in flight is cancelled). */
    public void lookForDeaths() {
        if (inFlight != null) {
            inFlight.cancel();
        }
        int mine = ++generation;
        Duration w = window.get();
        HostReport h = report;
        state.set(State.LOADING);
        message.set("Reading the kernel log, the engine's container states and the Dask containers' logs of " + h.target()
                + " since " + clock.instant().minus(w) + "…");
        inFlight = executor.submit(() -> fetcher.fetch(h, w), f -> {
            if (mine == generation) {
                inFlight = null;
                loaded(f);
            }
        }, e -> {
            if (mine == generation) {
                inFlight = null;
                state.set(State.ERROR);
                message.set("Could not read the deaths of " + h.target() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            }
        });
    }

    private void loaded(Fetched f) {
        fetched = f;
        note.set(f.note());
        selected.set(null);
        layout();
        DeathTimeline t = f.timeline();
        String since = f.since() == null ? "in the logs read" : "since " + f.since();
        long pauses = t.warnings().stream().filter(w -> w.kind() == DaskLogEvent.Kind.PAUSED).count();
        String text = t.deaths().isEmpty() ? "No deaths " + since + "." : t.deaths().size() + (t.deaths().size() == 1 ? " death " : " deaths ")
                + since + ": click a mark for its evidence and the fix.";
        if (pauses > 0) {
            text += " " + pauses + (pauses == 1 ? " pause." : " pauses.");
        }
        if (!t.problems().isEmpty()) {
            text += " Not read: " + String.join("; ", t.problems()) + ".";
        }
        message.set(text);
        state.set(State.LOADED);
    }

    /** A refresh of the VM (live mode): redraws the rows and the history; never reads deaths. */
    public void update(HostReport newReport, MainViewModel.Session newSession) {
        this.report = newReport;
        this.session = newSession;
        if (fetched != null) {
            Mark keep = selected.get();
            layout();
            if (keep != null) { // the same death or line, now at its new place on the axis
                Mark now = rows.get().stream().flatMap(r -> r.marks().stream())
                        .filter(m -> m.death() != null ? m.death() == keep.death() : m.warning() == keep.warning())
                        .findFirst().orElse(keep);
                selected.set(now);
                details.set(details(now));
            }
        }
    }

    private void layout() {
        DeathTimeline t = fetched.timeline();
        Axis a = axis(t);
        axis.set(a);
        Map<String, String> nameById = new HashMap<>();
        Map<String, ContainerReport> byName = new LinkedHashMap<>();
        if (report.scanned()) {
            for (ContainerReport c : report.daskContainers()) {
                nameById.put(c.facts().id(), c.facts().name());
                byName.put(c.facts().name(), c);
            }
        }
        for (WorkerDeath d : t.deaths()) {
            if (d.containerId() != null && d.container() != null) {
                nameById.putIfAbsent(d.containerId(), d.container());
            }
        }
        Map<String, List<Mark>> marks = new LinkedHashMap<>();
        if (fetched.scanRows()) {
            byName.keySet().forEach(n -> marks.put(n, new ArrayList<>()));
        }
        List<Mark> noTime = new ArrayList<>();
        for (WorkerDeath d : t.deaths()) {
            String row = d.container() != null ? d.container() : d.containerId() != null
                    ? nameById.getOrDefault(d.containerId(), shortId(d.containerId())) : "(unknown container)";
            Mark m = new Mark(MarkKind.DEATH, d.time(), d.time() == null ? -1 : a.fraction(d.time()),
                    d.cause() + " · " + row + (d.time() == null ? "" : " · " + d.time()), d, null);
            if (d.time() == null) {
                noTime.add(m);
            } else {
                marks.computeIfAbsent(row, k -> new ArrayList<>()).add(m);
            }
        }
        for (DaskLogEvent w : t.warnings()) {
            if (w.time() == null) {
                continue;
            }
            String row = nameById.getOrDefault(w.containerId(), shortId(w.containerId()));
            MarkKind kind = w.kind() == DaskLogEvent.Kind.PAUSED ? MarkKind.PAUSE : MarkKind.UNMANAGED_HIGH;
            marks.computeIfAbsent(row, k -> new ArrayList<>()).add(new Mark(kind, w.time(), a.fraction(w.time()),
                    (kind == MarkKind.PAUSE ? "paused" : "unmanaged memory high") + " · " + row + " · " + w.time(), null, w));
        }
        List<Row> out = new ArrayList<>();
        for (Map.Entry<String, List<Mark>> e : marks.entrySet()) {
            ContainerReport c = byName.get(e.getKey());
            List<Mark> ms = new ArrayList<>(e.getValue());
            ms.sort(java.util.Comparator.comparing(Mark::time));
            List<MainViewModel.Sample> samples = session == null ? List.of() : session.usage().getOrDefault(e.getKey(), List.of());
            Long restart = c == null ? null : ContainerFigures.of(c).terminate();
            out.add(new Row(e.getKey(), c == null ? null : c.cgroupLimitBytes(), restart, ms, points(samples, a)));
        }
        // the scan's workers first, then other named containers, then those known only by the id the kernel gave
        out.sort(java.util.Comparator.comparingInt(r -> byName.containsKey(r.name()) ? 0 : nameById.containsValue(r.name()) ? 1 : 2));
        rows.set(out);
        memAvailable.set(points(session == null ? List.of() : session.memAvailable(), a));
        untimed.set(noTime);
    }

    private Axis axis(DeathTimeline t) {
        List<Instant> times = new ArrayList<>();
        t.deaths().stream().map(WorkerDeath::time).filter(java.util.Objects::nonNull).forEach(times::add);
        t.warnings().stream().map(DaskLogEvent::time).filter(java.util.Objects::nonNull).forEach(times::add);
        Instant first = times.stream().min(Instant::compareTo).orElse(null);
        Instant last = times.stream().max(Instant::compareTo).orElse(null);
        Instant start = fetched.since();
        Instant end = fetched.until();
        if (end != null && session != null && !session.memAvailable().isEmpty()) {
            Instant lastSample = Instant.ofEpochMilli(session.memAvailable().get(session.memAvailable().size() - 1).epochMillis());
            end = lastSample.isAfter(end) ? lastSample : end;
        }
        if (start == null || end == null) {
            Instant s = first != null ? first : end != null ? end : clock.instant();
            Instant e = last != null ? last : s;
            long pad = Math.max(60_000, Duration.between(s, e).toMillis() / 25);
            start = start != null ? start : s.minusMillis(pad);
            end = end != null ? end : e.plusMillis(pad);
        }
        if (!end.isAfter(start)) {
            end = start.plusSeconds(60);
        }
        return new Axis(start, end, ticks(start, end), zone.getId());
    }

    private List<Tick> ticks(Instant start, Instant end) {
        Duration span = Duration.between(start, end);
        Duration step = STEPS.get(STEPS.size() - 1);
        for (Duration s : STEPS) {
            if (span.toMillis() / s.toMillis() <= MAX_TICKS) {
                step = s;
                break;
            }
        }
        DateTimeFormatter f = DateTimeFormatter.ofPattern(span.compareTo(Duration.ofHours(20)) > 0 ? "MMM d HH:mm" : "HH:mm",
                Locale.ENGLISH).withZone(zone);
        long stepMs = step.toMillis();
        long offset = zone.getRules().getOffset(start).getTotalSeconds() * 1000L;
        long firstMs = Math.floorDiv(start.toEpochMilli() + offset + stepMs - 1, stepMs) * stepMs - offset;
        List<Tick> out = new ArrayList<>();
        Axis a = new Axis(start, end, List.of(), zone.getId());
        for (long ms = firstMs; ms <= end.toEpochMilli(); ms += stepMs) {
            Instant at = Instant.ofEpochMilli(ms);
            out.add(new Tick(a.fraction(at), f.format(at)));
        }
        return out;
    }

    private static List<Point> points(List<MainViewModel.Sample> samples, Axis a) {
        List<Point> out = new ArrayList<>();
        for (MainViewModel.Sample s : samples) {
            Instant at = Instant.ofEpochMilli(s.epochMillis());
            if (!at.isBefore(a.start()) && !at.isAfter(a.end())) {
                out.add(new Point(a.fraction(at), s.bytes()));
            }
        }
        return out;
    }

    private Details details(Mark m) {
        if (m.death() == null) {
            DaskLogEvent w = m.warning();
            String head = w.time() + "  " + w.kind() + "  " + nameOf(w.containerId());
            String cause = m.kind() == MarkKind.PAUSE
                    ? "Dask paused the worker" + (w.number() == null ? "" : " at " + w.number() + "% of its budget")
                    + ": it runs no new tasks until its memory falls again. Not a death, but the step before the nanny's restart."
                    : "Dask's unmanaged memory (not its data) was high: spilling cannot free it.";
            return new Details(head, cause, null, null, List.of(w.line()), null, null, "A pause is not a death: open the fix wizard from a death.");
        }
        WorkerDeath d = m.death();
        String poison = null;
        for (DeathTimeline.PoisonTask p : fetched.timeline().poison()) {
            if (p.deaths().contains(d)) {
                poison = "Poison task " + p.key() + ": the scheduler gave up on it after " + p.deaths().size()
                        + (p.deaths().size() == 1 ? " death" : " deaths") + " (" + p.line() + ")";
            }
        }
        return new Details(d.headline(), causeInWords(d.cause()), d.figures(), d.uncertain(), d.evidence(), d.fix(), poison,
                noFix(d));
    }

    private String noFix(WorkerDeath d) {
        if (!report.scanned()) {
            return "The VM was not scanned: scan it to plan a fix.";
        }
        if (d.container() == null) {
            return "The death names no container this scan knows.";
        }
        boolean known = report.daskContainers().stream().anyMatch(c -> c.facts().name().equals(d.container()));
        return known ? null : "Container " + d.container() + " is not among this scan's Dask containers (removed, or not a worker now).";
    }

    private String nameOf(String id) {
        if (report.scanned()) {
            for (ContainerReport c : report.daskContainers()) {
                if (c.facts().id().equals(id)) {
                    return c.facts().name();
                }
            }
        }
        for (WorkerDeath d : fetched.timeline().deaths()) {
            if (id != null && id.equals(d.containerId()) && d.container() != null) {
                return d.container();
            }
        }
        return shortId(id);
    }

    /** The verdict in plain words (what {@link DeathCause}'s constants mean). */
    public static String causeInWords(DeathCause c) {
        return switch (c) {
            case KERNEL_OOM_CONTAINER -> "The kernel's OOM killer killed the worker inside its container: the container's memory"
                    + " limit was reached before Dask's nanny acted.";
            case KERNEL_OOM_HOST -> "The kernel's OOM killer killed the worker because the whole VM ran out of memory.";
            case DASK_NANNY_RESTART -> "Dask's nanny restarted the worker at its terminate threshold (95% of its budget by"
                    + " default): the limit works, the task needs more memory.";
            case KILLED_BY_SIGNAL -> "The worker was killed by a signal that neither the nanny nor the kernel's OOM killer sent.";
            case CONTAINER_EXITED -> "The whole container exited (its first process ended), as the engine reports it.";
        };
    }

    private static String shortId(String id) {
        return id == null ? "(unknown container)" : id.length() > 12 ? id.substring(0, 12) : id;
    }

    /** The fix wizard started from the selected death: only this VM, preselected on its container; null when none. */
    public FixWizardViewModel fixWizard() {
        Details dt = details.get();
        Mark m = selected.get();
        if (m == null || m.death() == null || dt == null || dt.noFix() != null) {
            return null;
        }
        return fixWizards.apply(m.death());
    }

    /** False when the deaths shown were not read for a window (the demo's captured ones): choosing one changes nothing. */
    public boolean windowed() {
        return fetched == null || fetched.since() != null;
    }

    public HostReport report() {
        return report;
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    /** The state in words: loading, the error, or how many deaths since when. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** Said above the timeline (the demo's origin), or null. */
    public ReadOnlyStringProperty noteProperty() {
        return note.getReadOnlyProperty();
    }

    /** How far back to look; changing it after a first fetch reads again. */
    public ObjectProperty<Duration> windowProperty() {
        return window;
    }

    public ReadOnlyObjectProperty<List<Row>> rowsProperty() {
        return rows.getReadOnlyProperty();
    }

    /** Live mode's MemAvailable samples inside the axis (bytes). */
    public ReadOnlyObjectProperty<List<Point>> memAvailableProperty() {
        return memAvailable.getReadOnlyProperty();
    }

    /** Deaths no source gave a time for (listed, not on the axis). */
    public ReadOnlyObjectProperty<List<Mark>> untimedProperty() {
        return untimed.getReadOnlyProperty();
    }

    /** The axis, or null before the first fetch. */
    public ReadOnlyObjectProperty<Axis> axisProperty() {
        return axis.getReadOnlyProperty();
    }

    public ObjectProperty<Mark> selectedProperty() {
        return selected;
    }

    public ReadOnlyObjectProperty<Details> detailsProperty() {
        return details.getReadOnlyProperty();
    }
}
