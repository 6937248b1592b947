package io.headroom.ui;

import io.headroom.engine.FixtureRunners;
import io.headroom.engine.ScanEngine;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scan screen's ViewModel, run synchronously without the FX thread. */
class ScanViewModelTest {
    private static ScanViewModel vm(Map<String, String> fixtures) {
        return new ScanViewModel(new ScanEngine(FixtureRunners.of(fixtures), "test"), BackgroundExecutor.synchronous());
    }

    @Test
    void scanFillsFiguresRowsAndFindings() {
        ScanViewModel vm = vm(Map.of("local", "/fixtures/probe/podman-cgroup-v1-hybrid.txt"));
        vm.scan();
        assertFalse(vm.scanningProperty().get());
        assertEquals("23.54 GiB", vm.memTotalProperty().get());
        assertTrue(vm.statusProperty().get().startsWith("Scanned local in "), vm.statusProperty().get());
        assertTrue(vm.containers().stream().anyMatch(r -> r.name().equals("hr-basic_worker_1")
                && r.cgroupLimit().equals("2.00 GiB") && r.daskLimit().equals("1.00 GiB")));
        assertTrue(vm.findings().stream().anyMatch(f -> f.code().equals("NO_LIMIT") && f.severity().equals("CRITICAL")));
        assertEquals("", vm.emptyMessageProperty().get());
        assertTrue(vm.availableFractionProperty().get() > 0 && vm.availableFractionProperty().get() <= 1);
    }

    @Test
    void unreachableTargetShowsTheReason() {
        ScanViewModel vm = vm(Map.of());
        vm.targetProperty().set("ghost");
        vm.scan();
        assertEquals("ghost could not be scanned", vm.statusProperty().get());
        assertEquals("ghost: name not found: ghost", vm.emptyMessageProperty().get());
        assertTrue(vm.containers().isEmpty());
    }
}
