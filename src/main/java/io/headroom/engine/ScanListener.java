package io.headroom.engine;

import io.headroom.model.HostReport;

/** Progress of a scan, per target. Called from scan threads. */
public interface ScanListener {
    ScanListener NONE = new ScanListener() {
    };

    /** The target's probe started. */
    default void started(String target) {
    }

    /** The target is done (scanned or failed). */
    default void finished(HostReport report) {
    }
}
