package io.headroom.ui;

import io.headroom.analysis.Analyzer;
import io.headroom.analysis.dask.DaskByteSize;
import io.headroom.engine.fix.FixPlan;
import io.headroom.engine.fix.FixPlanner;
import io.headroom.engine.fix.FixService;
import io.headroom.model.Bytes;
import io.headroom.model.HostReport;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The fix wizard: choose env or literal mode and the reserve kept for the OS → see a diff per
 * compose file → apply (optionally restarting the affected services) with per-host progress → the
 * verification (the new limit in the cgroup and in Dask) → roll back. All work runs on the
 * {@link BackgroundExecutor}; nothing here touches the network on the calling thread.
 * Changes are disabled, with the reason, in read-only mode and for snapshots and the demo.
 */
public final class FixWizardViewModel {
    /** env: {@code mem_limit: ${AVAILABLE_MEMORY_FOR_DASK:-0}} + .env; literal: bytes in the file. */
    public enum Mode { ENV, LITERAL }

    /** One plan as the wizard shows it. */
    public record PlanItem(FixPlan plan, String title, String diff, String refusal) {
    }

    /** What applying or rolling back one plan gave. */
    public record ResultItem(String title, boolean ok, List<String> lines) {
        public ResultItem {
            lines = List.copyOf(lines);
        }
    }

    /**
     * One Headroom backup as the wizard's history lists it (decision 0021).
     *
     * @param target the host it is on
     * @param info   its file, path, time, SHA-256 and who pushed it (this machine's audit log)
     */
    public record BackupItem(String target, FixService.BackupInfo info) {
        /** One line: time, file, hash, who pushed. */
        public String label() {
            String sha = info.sha256() == null ? "?" : info.sha256().substring(0, Math.min(12, info.sha256().length())) + "…";
            return info.time() + "  " + target + ":" + info.file() + "  sha256 " + sha + "  " + info.pushedText();
        }

        @Override
        public String toString() {
            return label();
        }
    }

    private final List<HostReport> hosts;
    private final FixService service;
    private final BackgroundExecutor executor;
    private final String offlineReason;
    private final ObjectProperty<Mode> mode = new SimpleObjectProperty<>(Mode.ENV);
    private final StringProperty reserve = new SimpleStringProperty("");
    private final StringProperty scheduler = new SimpleStringProperty("");
    private final BooleanProperty restart = new SimpleBooleanProperty(false);
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final ReadOnlyStringWrapper reserveError = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper disabledReason = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final ObservableList<PlanItem> plans = FXCollections.observableArrayList();
    private final ObservableList<String> progress = FXCollections.observableArrayList();
    private final ObservableList<ResultItem> results = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper origin = new ReadOnlyStringWrapper();
    private String focus;
    private final ObservableList<BackupItem> backups = FXCollections.observableArrayList();
    private final ObjectProperty<BackupItem> selectedBackup = new SimpleObjectProperty<>();
    private final ReadOnlyStringWrapper historyStatus = new ReadOnlyStringWrapper("");

    /**
     * @param hosts         the scanned hosts to fix (unscanned ones are ignored)
     * @param service       the push engine (its settings decide read-only mode)
     * @param executor      runs pushes off the UI thread
     * @param offlineReason why changes are impossible regardless of settings (a snapshot or the demo), or null
     */
    public FixWizardViewModel(List<HostReport> hosts, FixService service, BackgroundExecutor executor, String offlineReason) {
        this.hosts = hosts.stream().filter(HostReport::scanned).toList();
        this.service = service;
        this.executor = executor;
        this.offlineReason = offlineReason;
        if (!this.hosts.isEmpty()) {
            reserve.set(Bytes.human(this.hosts.get(0).reserveBytes()));
        }
        mode.addListener((o, a, b) -> replan());
        replan();
    }

    /** Plans again from the scanned facts with the chosen mode and reserve (pure re-analysis, no re-scan). */
    public void replan() {
        Long reserveBytes = parseReserve();
        if (reserveBytes == null && !reserve.get().isBlank()) {
            updateDisabled();
            return;
        }
        List<PlanItem> items = new ArrayList<>();
        for (HostReport h : hosts) {
            HostReport analysed = reserveBytes == null || reserveBytes == h.reserveBytes() ? h
                    : new Analyzer(reserveBytes).analyze(h.facts(), h.scanMillis());
            for (FixPlan p : FixPlanner.plan(analysed, mode.get() == Mode.ENV)) {
                String title = p.target() + " — project " + p.project() + ", " + String.join(", ", p.services()) + ": mem_limit "
                        + Bytes.human(p.bytes()) + String.format(Locale.ROOT, " (%,d bytes)", p.bytes());
                items.add(new PlanItem(p, title, p.refusal() == null ? p.diff() : "", p.refusal()));
            }
        }
        plans.setAll(items);
        updateDisabled();
    }

    private Long parseReserve() {
        String text = reserve.get() == null ? "" : reserve.get().strip();
        if (text.isEmpty()) {
            reserveError.set("");
            return null;
        }
        if (!hosts.isEmpty() && text.equals(Bytes.human(hosts.get(0).reserveBytes()))) {
            // the field still shows the scan's own reserve, rounded for display: plan with its exact bytes, so the
            // wizard recommends exactly what the findings say (issue 16: 11,358,175,232 vs 11,360,272,384 B)
            reserveError.set("");
            return hosts.get(0).reserveBytes();
        }
        DaskByteSize.Parsed p = DaskByteSize.parse(text);
        if (!p.ok() || p.bytes() == null || p.bytes() < 0) {
            reserveError.set("Cannot read '" + text + "' as a size: write e.g. 2 GiB, 512MiB or bytes.");
            return null;
        }
        reserveError.set("");
        return p.bytes();
    }

    private void updateDisabled() {
        String why = null;
        if (service.settings().readOnly()) {
            why = "Read-only mode is on (" + service.settings().source() + "): nothing is written and nothing restarted.";
        } else if (offlineReason != null) {
            why = offlineReason;
        } else if (!reserveError.get().isEmpty()) {
            why = reserveError.get();
        } else if (plans.stream().noneMatch(p -> p.refusal() == null)) {
            List<String> blind = hosts.stream().filter(h -> !h.complete()).map(HostReport::target).toList();
            why = blind.isEmpty() ? "Nothing to fix: no Dask compose service has a memory finding with a recommended limit."
                    : "Nothing planned: Headroom could not see the containers of " + String.join(", ", blind)
                            + " (see its findings), so whether anything needs fixing is not known.";
        }
        disabledReason.set(why);
    }

    /** Pushes every editable plan; with {@link #restartProperty()} restarts and verifies. */
    public void apply() {
        if (disabledReason.get() != null || busy.get()) {
            return;
        }
        List<FixPlan> todo = plans.stream().filter(p -> p.refusal() == null).map(PlanItem::plan).toList();
        boolean withRestart = restart.get();
        String url = scheduler.get() == null || scheduler.get().isBlank() ? null : scheduler.get().strip();
        busy.set(true);
        progress.clear();
        results.clear();
        status.set("Applying " + todo.size() + " plan(s)…");
        executor.submit(() -> {
            List<ResultItem> out = new ArrayList<>();
            for (FixPlan p : todo) {
                FixService.Outcome o = service.apply(p, withRestart, url, line -> executor.onUiThread(() -> progress.add(line)));
                out.add(describe(o));
            }
            return out;
        }, out -> {
            busy.set(false);
            results.setAll(out);
            long ok = out.stream().filter(ResultItem::ok).count();
            status.set(ok + " of " + out.size() + " plan(s) applied" + (withRestart ? " and verified" : "")
                    + (ok == out.size() ? "." : "; see the results below."));
        }, e -> {
            busy.set(false);
            status.set("Not applied: " + e.getMessage());
        });
    }

    /** Puts back the newest Headroom backups of the compose files and .env of every Dask project on the hosts. */
    public void rollback() {
        if (service.settings().readOnly() || offlineReason != null || busy.get()) {
            return;
        }
        boolean withRestart = restart.get();
        busy.set(true);
        progress.clear();
        results.clear();
        status.set("Rolling back…");
        executor.submit(() -> {
            List<ResultItem> out = new ArrayList<>();
            for (HostReport h : hosts) {
                for (FixService.RollbackOutcome o : service.rollback(h, null, withRestart,
                        line -> executor.onUiThread(() -> progress.add(line)))) {
                    out.add(describe(h.target(), o));
                }
            }
            return out;
        }, out -> {
            busy.set(false);
            results.setAll(out);
            status.set("Rollback finished: " + out.stream().filter(ResultItem::ok).count() + " of " + out.size() + " project(s) restored.");
        }, e -> {
            busy.set(false);
            status.set("Rollback failed: " + e.getMessage());
        });
    }

    /**
     * Lists the Headroom backups of the compose files and .env of every Dask project on the hosts, newest first per
     * file, with their time, hash and who pushed them (decision 0021). Only reads, so it is allowed in read-only
     * mode; a snapshot or the demo has no VM to ask.
     */
    public void loadBackups() {
        if (offlineReason != null) {
            historyStatus.set("No history to list: " + offlineReason);
            return;
        }
        if (busy.get()) {
            return;
        }
        busy.set(true);
        historyStatus.set("Listing the backups…");
        executor.submit(() -> {
            List<BackupItem> out = new ArrayList<>();
            for (HostReport h : hosts) {
                for (FixService.BackupInfo b : service.backups(h, null)) {
                    out.add(new BackupItem(h.target(), b));
                }
            }
            return out;
        }, out -> {
            busy.set(false);
            backups.setAll(out);
            selectedBackup.set(null);
            historyStatus.set(out.isEmpty() ? "No Headroom backup on " + String.join(", ", hosts.stream().map(HostReport::target).toList())
                    + "." : out.size() + " backup(s), newest first per file.");
        }, e -> {
            busy.set(false);
            historyStatus.set("Could not list the backups: " + e.getMessage());
        });
    }

    /** Why the chosen backup cannot be put back now, or null when it can. */
    public String rollbackToDisabledReason() {
        if (service.settings().readOnly()) {
            return "Read-only mode is on (" + service.settings().source() + ")";
        }
        if (offlineReason != null) {
            return offlineReason;
        }
        return selectedBackup.get() == null ? "Choose a backup" : null;
    }

    /**
     * Puts the chosen backup back through the engine ({@link FixService#rollbackTo}: under the push lock, only when
     * the file is still the one Headroom last wrote there, else refused with both hashes), with a restart of the
     * project's services when {@link #restartProperty()} is set; then lists the backups again.
     */
    public void rollbackToSelected() {
        BackupItem chosen = selectedBackup.get();
        if (rollbackToDisabledReason() != null || busy.get()) {
            return;
        }
        HostReport host = hosts.stream().filter(h -> h.target().equals(chosen.target())).findFirst().orElseThrow();
        boolean withRestart = restart.get();
        busy.set(true);
        progress.clear();
        results.clear();
        status.set("Rolling back " + chosen.info().file() + " to " + chosen.info().time() + "…");
        executor.submit(() -> service.rollbackTo(host, chosen.info().backup(), withRestart,
                line -> executor.onUiThread(() -> progress.add(line))), o -> {
            busy.set(false);
            results.setAll(describe(host.target(), o));
            status.set(o.ok() ? "Restored " + chosen.info().file() + " from " + chosen.info().backup() + "."
                    : "Not rolled back: see the result below.");
            loadBackups();
        }, e -> {
            busy.set(false);
            status.set("Not rolled back: " + e.getMessage());
        });
    }

    static ResultItem describe(String target, FixService.RollbackOutcome o) {
        List<String> lines = new ArrayList<>();
        o.steps().forEach(s -> lines.add("restored " + s.path() + " from " + s.backup()));
        if (o.restart() != null) {
            lines.add("restart " + (o.restart().ok() ? "done" : "FAILED: " + o.restart().err().strip()));
        }
        if (o.error() != null) {
            lines.add(o.error());
        }
        return new ResultItem(target + " — project " + o.project().project() + ": rollback", o.ok(), lines);
    }

    static ResultItem describe(FixService.Outcome o) {
        List<String> lines = new ArrayList<>();
        o.steps().forEach(s -> lines.add("pushed " + s.path() + (s.backup() == null ? "" : " (backup " + s.backup() + ")")));
        if (o.error() != null) {
            lines.add("NOT applied: " + o.error());
        } else if (o.restart() == null) {
            lines.add("Takes effect when the services are recreated (apply again with restart, or docker-compose up -d --no-deps "
                    + String.join(" ", o.plan().services()) + " on the VM).");
        } else {
            o.restart().notes().forEach(n -> lines.add("note: " + n));
            if (!o.restart().ok()) {
                lines.add("restart FAILED (exit " + o.restart().status() + "): " + o.restart().err().strip());
            } else if (o.verification() != null) {
                lines.add("verification " + (o.verification().ok() ? "OK" : "FAILED") + ":");
                lines.addAll(o.verification().lines());
            }
        }
        String title = o.plan().target() + " — project " + o.plan().project() + ": " + (o.ok() ? "applied" : "problem");
        return new ResultItem(title, o.ok(), lines);
    }

    /**
     * Starts the wizard from a worker's death (issue 20): its what-if panel opens on {@code container}, at
     * Headroom's recommended limit for it, and {@link #originProperty()} says which death it came from.
     */
    public FixWizardViewModel fromDeath(String container, String why) {
        this.focus = container;
        origin.set(why);
        return this;
    }

    /** The container the wizard was started from, or null. */
    public String focusContainer() {
        return focus;
    }

    /** Which death the wizard was started from, in words, or null. */
    public ReadOnlyStringProperty originProperty() {
        return origin.getReadOnlyProperty();
    }

    /** The what-if panel on the same hosts (a new one each time: it holds only what the user typed). */
    public WhatIfViewModel whatIf() {
        WhatIfViewModel w = new WhatIfViewModel(hosts);
        if (focus != null) {
            w.select(focus);
        }
        return w;
    }

    public ObjectProperty<Mode> modeProperty() {
        return mode;
    }

    public StringProperty reserveProperty() {
        return reserve;
    }

    public StringProperty schedulerProperty() {
        return scheduler;
    }

    public BooleanProperty restartProperty() {
        return restart;
    }

    public BooleanProperty busyProperty() {
        return busy;
    }

    public ReadOnlyStringProperty reserveErrorProperty() {
        return reserveError.getReadOnlyProperty();
    }

    /** Why Apply is disabled, or null when it is enabled. */
    public ReadOnlyStringProperty disabledReasonProperty() {
        return disabledReason.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ObservableList<PlanItem> plans() {
        return plans;
    }

    public ObservableList<String> progress() {
        return progress;
    }

    public ObservableList<ResultItem> results() {
        return results;
    }

    /** The backups found by {@link #loadBackups()}. */
    public ObservableList<BackupItem> backups() {
        return backups;
    }

    /** The backup {@link #rollbackToSelected()} puts back. */
    public ObjectProperty<BackupItem> selectedBackupProperty() {
        return selectedBackup;
    }

    public ReadOnlyStringProperty historyStatusProperty() {
        return historyStatus.getReadOnlyProperty();
    }
}
