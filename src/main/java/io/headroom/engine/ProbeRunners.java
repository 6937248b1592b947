package io.headroom.engine;

import io.headroom.probe.ProbeException;
import io.headroom.probe.ProbeRunner;

/** Chooses how to reach a target. */
@FunctionalInterface
public interface ProbeRunners {
    /** For {@link #keepWarm(int)}: keep every connection open (the default). */
    int ALL = Integer.MAX_VALUE;

    /** @throws ProbeException when the target cannot be reached this way (named in plain words) */
    ProbeRunner forTarget(String target) throws ProbeException;

    /**
     * How many connections to keep open between scans while nothing uses them (live mode wants
     * all of them; a one-off scan of a large fleet need not). Runners without connections ignore it.
     */
    default void keepWarm(int connections) {
    }
}
