package io.headroom.compose;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What to change.
 *
 * @param files        the compose files, in {@code -f} order (the override last); one file is fine
 * @param services     the targeted services (by compose service name)
 * @param memory       the limit to write
 * @param reservations what to do with memory reservations of the targeted services
 */
public record EditRequest(List<ComposeSource> files, Set<String> services, MemoryValue memory, ReservationPolicy reservations) {
    public EditRequest {
        files = List.copyOf(files);
        services = Set.copyOf(services);
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(reservations, "reservations");
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no compose file");
        }
        if (services.isEmpty()) {
            throw new IllegalArgumentException("no target service");
        }
    }

    /** One file, reservations removed. */
    public static EditRequest of(String path, String text, Set<String> services, MemoryValue memory) {
        return new EditRequest(List.of(new ComposeSource(path, text)), services, memory, ReservationPolicy.REMOVE);
    }
}
