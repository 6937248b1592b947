package io.headroom.model;

import java.util.List;

/**
 * The deaths, pauses and poison tasks of one VM, oldest first (issue 20).
 *
 * @param host     the VM's name as the user gave it
 * @param deaths   worker deaths, oldest first (a death without time last)
 * @param warnings pauses and "unmanaged memory is high" lines, oldest first
 * @param poison   tasks the scheduler failed because workers died running them
 * @param problems sources that could not be read, in plain words (a log driver without
 *                 {@code docker logs}, a kernel log denied, a source cut at its cap)
 * @param bootUnits the seed's boot units: whether each is installed, ran at this boot, and the value it wrote
 */
public record DeathTimeline(String host, List<WorkerDeath> deaths, List<DaskLogEvent> warnings,
                            List<PoisonTask> poison, List<String> problems, List<BootUnitRun> bootUnits) {
    /** A timeline without boot units (not read). */
    public DeathTimeline(String host, List<WorkerDeath> deaths, List<DaskLogEvent> warnings, List<PoisonTask> poison,
                         List<String> problems) {
        this(host, deaths, warnings, poison, problems, List.of());
    }

    public DeathTimeline {
        bootUnits = List.copyOf(bootUnits);
        deaths = List.copyOf(deaths);
        warnings = List.copyOf(warnings);
        poison = List.copyOf(poison);
        problems = List.copyOf(problems);
    }

    /**
     * A task key the scheduler failed with KilledWorker, and the deaths it caused.
     *
     * @param key            the task key
     * @param allowedFailures distributed.scheduler.allowed-failures, read from the scheduler's line by its version's rule
     *                        (the line gives allowed-failures before Dask 2023.8.0, the deaths since), or null
     * @param line           the scheduler's line
     * @param deaths         the deaths of workers running it (those not after the scheduler's line,
     *                       allowed-failures + 1 of them), oldest first
     */
    public record PoisonTask(String key, Integer allowedFailures, String line, List<WorkerDeath> deaths) {
        public PoisonTask {
            deaths = List.copyOf(deaths);
        }
    }
}
