package io.headroom.model;

import java.time.Instant;
import java.util.List;

/**
 * The deaths of every VM of one {@code headroom deaths} run (issue 20), as a snapshot carries them.
 *
 * @param since     the start of the window asked for
 * @param fetchedAt when the evidence was read (operator's clock)
 * @param timelines one per VM, in the order given
 */
public record DeathReport(Instant since, Instant fetchedAt, List<DeathTimeline> timelines) {
    public DeathReport {
        timelines = List.copyOf(timelines);
    }

    /** The timeline of {@code host}, or null when none was fetched for it. */
    public DeathTimeline of(String host) {
        return timelines.stream().filter(t -> t.host().equals(host)).findFirst().orElse(null);
    }

    /** Deaths on all VMs. */
    public int deathCount() {
        return timelines.stream().mapToInt(t -> t.deaths().size()).sum();
    }
}
