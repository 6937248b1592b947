package io.headroom.ui;

import io.headroom.analysis.DockerByteSize;
import io.headroom.analysis.RecommendedLimit;
import io.headroom.analysis.WhatIf;
import io.headroom.analysis.WhatIfComparison;
import io.headroom.model.ContainerReport;
import io.headroom.model.DaskWorker;
import io.headroom.model.HostReport;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.List;

/**
 * The fix wizard's what-if panel: pick a Dask container, type another limit, {@code --memory-limit}
 * or {@code --nworkers}, and Dask's predicted budget, its spill / pause / restart points and the
 * verdict follow at once, from the scan's own model ({@link WhatIf}). In memory only: nothing is
 * written, no I/O, so it runs on the FX thread as the user types.
 */
public final class WhatIfViewModel {
    /** A container the user can try changes on. */
    public record Choice(HostReport host, ContainerReport container) {
        @Override
        public String toString() {
            return host.target() + " — " + container.facts().name();
        }
    }

    private final ObservableList<Choice> choices = FXCollections.observableArrayList();
    private final ObjectProperty<Choice> selected = new SimpleObjectProperty<>();
    private final StringProperty limit = new SimpleStringProperty("");
    private final StringProperty memoryLimit = new SimpleStringProperty("");
    private final StringProperty nworkers = new SimpleStringProperty("");
    private final ObservableList<WhatIfComparison.Row> rows = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper();

    public WhatIfViewModel(List<HostReport> hosts) {
        List<Choice> all = new ArrayList<>();
        for (HostReport h : hosts) {
            if (h.scanned()) {
                h.daskContainers().forEach(c -> all.add(new Choice(h, c)));
            }
        }
        choices.setAll(all);
        selected.addListener((o, a, b) -> start(b));
        limit.addListener((o, a, b) -> update());
        memoryLimit.addListener((o, a, b) -> update());
        nworkers.addListener((o, a, b) -> update());
        if (!all.isEmpty()) {
            selected.set(all.get(0));
        }
    }

    /** Selects the first choice whose container is named {@code container} (a fix started from its death); false when none. */
    public boolean select(String container) {
        for (Choice c : choices) {
            if (c.container().facts().name().equals(container)) {
                selected.set(c);
                return true;
            }
        }
        return false;
    }

    /** The fields start at Headroom's recommendation (else the current limit) and the container's current options. */
    private void start(Choice c) {
        if (c == null) {
            rows.clear();
            return;
        }
        Long rec = RecommendedLimit.forContainer(c.host().findings(), c.container().facts().name());
        Long now = c.container().cgroupLimitBytes();
        DaskWorker w = c.container().workers().isEmpty() ? null : c.container().workers().get(0);
        limit.set(rec != null ? Long.toString(rec) : now != null ? Long.toString(now) : "none");
        memoryLimit.set(w == null || w.memoryLimitSpec() == null ? "auto" : w.memoryLimitSpec());
        nworkers.set(w == null ? "1" : Integer.toString(Math.max(1, w.nworkers())));
        update();
    }

    /** Recomputes the rows from the fields; a field that cannot be read leaves the rows as they were and says why. */
    void update() {
        Choice c = selected.get();
        if (c == null) {
            return;
        }
        String l = limit.get().strip();
        Long bytes = l.isEmpty() ? null : l.equalsIgnoreCase("none") ? Long.valueOf(0) : DockerByteSize.parse(l);
        if (bytes == null && l.matches("(?i).*\\d\\s*[kmgtp]ib")) {
            var p = io.headroom.analysis.dask.DaskByteSize.parse(l); // 2GiB: binary in both readings
            bytes = p.ok() ? p.bytes() : null;
        }
        if (!l.isEmpty() && (bytes == null || bytes < 0)) {
            error.set("Cannot read '" + l + "' as a memory limit: write it as compose does (2g, 1536m, bytes) or none.");
            return;
        }
        String n = nworkers.get().strip();
        if (!n.isEmpty() && !n.equals("auto") && !n.matches("-?\\d+")) {
            error.set("--nworkers takes a whole number or auto, not '" + n + "'.");
            return;
        }
        String m = memoryLimit.get().strip();
        WhatIf.Change change = new WhatIf.Change(bytes, m.isEmpty() ? null : m, n.isEmpty() ? null : n);
        String name = c.container().facts().name();
        try {
            rows.setAll(WhatIfComparison.rows(c.host(), WhatIf.apply(c.host(), name, change), name));
            error.set(null);
        } catch (IllegalArgumentException e) {
            error.set(e.getMessage());
        }
    }

    public ObservableList<Choice> choices() {
        return choices;
    }

    public ObjectProperty<Choice> selectedProperty() {
        return selected;
    }

    public StringProperty limitProperty() {
        return limit;
    }

    public StringProperty memoryLimitProperty() {
        return memoryLimit;
    }

    public StringProperty nworkersProperty() {
        return nworkers;
    }

    public ObservableList<WhatIfComparison.Row> rows() {
        return rows;
    }

    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }
}
