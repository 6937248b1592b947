package io.headroom.engine;

import io.headroom.probe.ProbeException;
import io.headroom.probe.ProbeRunner;

/** Chooses how to reach a target. */
@FunctionalInterface
public interface ProbeRunners {
    /** @throws ProbeException when the target cannot be reached this way (named in plain words) */
    ProbeRunner forTarget(String target) throws ProbeException;
}
