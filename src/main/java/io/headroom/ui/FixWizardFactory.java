package io.headroom.ui;

import io.headroom.engine.ScanEngine;
import io.headroom.engine.ScanOptions;
import io.headroom.engine.fix.AuditLog;
import io.headroom.engine.fix.FixService;
import io.headroom.engine.inventory.ConfigPaths;
import io.headroom.engine.inventory.Settings;
import io.headroom.model.HostReport;
import io.headroom.ui.MainViewModel.Source;

import java.time.Duration;
import java.util.List;

/**
 * Builds the fix wizard's view model for the main window: with the VM access and settings given at
 * start (none until {@link #enable}), a fix service writing to the audit log, and the reason changes are
 * impossible when the window shows a snapshot or the demo.
 */
final class FixWizardFactory {
    private final ScanEngine engine;
    private final BackgroundExecutor executor;
    private FixService.VmAccess access;
    private Settings settings = new Settings(true, "not loaded");

    FixWizardFactory(ScanEngine engine, BackgroundExecutor executor) {
        this.engine = engine;
        this.executor = executor;
    }

    /** Makes fixes possible, unless {@code loaded} says read-only. */
    void enable(FixService.VmAccess vmAccess, Settings loaded) {
        this.access = vmAccess;
        this.settings = loaded;
    }

    /** The wizard for {@code hosts}, shown from {@code source}; changes impossible offline or without access. */
    FixWizardViewModel wizard(List<HostReport> hosts, Source source) {
        String offline = switch (source) {
            case SNAPSHOT -> "This is a snapshot, not a live scan: fixes need a live scan of the VMs (the diffs are shown for review).";
            case DEMO -> "This is the demo cluster (captured from the lab): nothing can be pushed (the diffs are shown for review).";
            default -> access == null ? "Fixes are not available in this window." : null;
        };
        FixService service = new FixService(access, engine, new ScanOptions(null, Duration.ofSeconds(60), 4),
                new AuditLog(ConfigPaths.auditLogFile()), settings);
        return new FixWizardViewModel(hosts, service, executor, offline);
    }
}
