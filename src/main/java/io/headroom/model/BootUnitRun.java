package io.headroom.model;

import java.time.Instant;
import java.util.List;

/**
 * A boot unit of the seed's fix as systemd and its journal tell it (issue 20): {@code headroom-dask-memory.service}
 * (writes {@code AVAILABLE_MEMORY_FOR_DASK} into the project's {@code .env} before docker starts, see
 * {@code headroom boot-snippet --unit}) or {@code headroom-dask-compose.service} (recreates the containers with it).
 *
 * @param unit        the unit's name
 * @param loadState   systemd's LoadState: {@code loaded}, {@code not-found} (not installed), …; null when unknown
 * @param activeState systemd's ActiveState ({@code active} for a oneshot with RemainAfterExit that ran), or null
 * @param result      systemd's Result ({@code success}, {@code exit-code}, …), or null
 * @param exitStatus  the main process's exit status, or null when it did not run
 * @param startedAt   when it ran at this boot (ExecMainStartTimestamp), or null when it did not
 * @param valueBytes  the value it wrote, in bytes (its journal line
 *                    {@code headroom: AVAILABLE_MEMORY_FOR_DASK=<bytes> written to <file>}), or null
 * @param envFile     the file it wrote, or null
 * @param lines       its journal lines of this boot (at most 50, secret-masked on the VM)
 */
public record BootUnitRun(String unit, String loadState, String activeState, String result, Integer exitStatus,
                          Instant startedAt, Long valueBytes, String envFile, List<String> lines) {
    /** The unit {@code headroom boot-snippet --unit} writes: it measures MemAvailable and writes the .env. */
    public static final String MEMORY_UNIT = "headroom-dask-memory.service";
    /** The unit that recreates the compose project's containers after {@link #MEMORY_UNIT}. */
    public static final String COMPOSE_UNIT = "headroom-dask-compose.service";

    public BootUnitRun {
        lines = List.copyOf(lines);
    }

    /** True when systemd knows the unit (installed). */
    public boolean installed() {
        return "loaded".equals(loadState);
    }

    /** True when it ran at this boot and its process exited 0. */
    public boolean succeeded() {
        return startedAt != null && Integer.valueOf(0).equals(exitStatus);
    }

    /** What the unit did at this boot, in plain words and bytes. */
    public String summary() {
        if (!installed()) {
            return unit + " is not installed" + (loadState == null ? "" : " (LoadState=" + loadState + ")");
        }
        if (startedAt == null) {
            return unit + " is installed but did not run at this boot";
        }
        String s = unit + " ran at " + startedAt + (succeeded() ? "" : " and failed (exit status " + exitStatus
                + (result == null ? "" : ", " + result) + ")");
        if (valueBytes != null) {
            s += ", AVAILABLE_MEMORY_FOR_DASK=" + valueBytes + " (" + Bytes.human(valueBytes) + ")"
                    + (envFile == null ? "" : " written to " + envFile);
        }
        return s;
    }
}
