package io.headroom.ui;

import io.headroom.analysis.WhatIfComparison;
import io.headroom.engine.FixtureRunners;
import io.headroom.engine.ScanEngine;
import io.headroom.engine.ScanOptions;
import io.headroom.model.HostReport;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The wizard's what-if panel follows every keystroke from the scan's model (v2-lab captures, no FX thread). */
class WhatIfViewModelTest {
    private static HostReport scan(String fixture) throws Exception {
        return new ScanEngine(FixtureRunners.of(Map.of("vm", fixture)), "t").scanOne("vm", ScanOptions.DEFAULTS);
    }

    private static String after(WhatIfViewModel vm, String label) {
        return vm.rows().stream().filter(r -> r.label().equals(label)).map(WhatIfComparison.Row::after).findFirst().orElseThrow();
    }

    @Test
    void startsAtTheRecommendationAndFollowsTheFields() throws Exception {
        WhatIfViewModel vm = new WhatIfViewModel(List.of(scan("/fixtures/lab-v2/s1-no-limit.txt")));
        assertEquals(1, vm.choices().size());
        assertEquals("vm — hr-s1-worker-1", vm.selectedProperty().get().toString());
        assertEquals("3465543680", vm.limitProperty().get(), "the scan's recommendation, the same number as the finding's");
        assertEquals("healthy", after(vm, "verdict"));
        assertEquals("critical: NO_LIMIT", vm.rows().get(vm.rows().size() - 1).now());
        vm.limitProperty().set("none");
        assertEquals("critical: NO_LIMIT", after(vm, "verdict"));
        vm.limitProperty().set("1g");
        assertEquals("1.00 GiB (1,073,741,824 bytes)", after(vm, "cgroup limit"));
        assertEquals("1.00 GiB (1,073,741,824 bytes)", after(vm, "Dask budget"), "no --nthreads: 2 threads of 2 CPUs");
        assertEquals("972.8 MiB", after(vm, "nanny restarts at"));
    }

    @Test
    void aFieldThatCannotBeReadSaysWhyAndKeepsTheRows() throws Exception {
        WhatIfViewModel vm = new WhatIfViewModel(List.of(scan("/fixtures/lab-v2/s2-seed-env.txt")));
        vm.limitProperty().set("1g"); // the current limit (the field starts at WASTED_HEADROOM's larger recommendation)
        vm.nworkersProperty().set("2");
        assertEquals("512.0 MiB (536,870,912 bytes)", after(vm, "worker 2 Dask budget"));
        assertEquals("WASTED_HEADROOM (info)", after(vm, "findings"), "2 workers × 1 thread = 2 CPUs: no fraction left");
        vm.limitProperty().set("lots");
        assertTrue(vm.errorProperty().get().startsWith("Cannot read 'lots' as a memory limit"), vm.errorProperty().get());
        assertEquals("512.0 MiB (536,870,912 bytes)", after(vm, "worker 2 Dask budget"), "the last good rows stay");
        vm.limitProperty().set("2g");
        assertNull(vm.errorProperty().get());
        assertEquals("1.00 GiB (1,073,741,824 bytes)", after(vm, "worker 2 Dask budget"), "2 GiB × 1 thread / 2 CPUs");
    }
}
