package io.headroom.it.truth;

import io.headroom.it.Need;
import io.headroom.it.Needs;
import io.headroom.it.LabPlatform;

/**
 * The truth scenarios on the lab's v1 platform: this machine, cgroup v1 (hybrid), podman behind the
 * docker CLI, docker-compose 1.29, Dask 2022.12.1; scanned as {@code local}. All scenarios at once.
 */
@Needs({Need.LAB_V1})
class ScenarioTruthV1IT extends ScenarioTruth {
    @Override
    LabPlatform platform() {
        return LabPlatform.V1;
    }

    @Override
    int processBudget() {
        return Integer.MAX_VALUE;
    }
}
