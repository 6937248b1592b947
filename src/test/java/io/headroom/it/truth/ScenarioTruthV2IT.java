package io.headroom.it.truth;

import io.headroom.it.Need;
import io.headroom.it.Needs;
import io.headroom.it.LabPlatform;

/**
 * The truth scenarios on the lab's v2 platform: a QEMU VM with systemd, unified cgroup v2, Docker
 * Engine (systemd cgroup driver), Compose v2 and Dask 2024.12.1 in the image; scanned over SSH like
 * a cluster VM. Its two CPUs are emulated (TCG): an idle scenario (scheduler, nanny, worker) keeps
 * 0.18 of them busy even with lab/scenarios' quieter housekeeping (measured with /proc/stat over
 * 20 s), and starting a Dask process costs seconds of CPU, so at most 16 Dask processes run at once.
 */
@Needs({Need.LAB_V2})
class ScenarioTruthV2IT extends ScenarioTruth {
    @Override
    LabPlatform platform() {
        return LabPlatform.V2;
    }

    @Override
    int processBudget() {
        return 16;
    }
}
