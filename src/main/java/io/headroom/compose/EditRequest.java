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
 * @param referenced   other files of the project that the {@code -f} files name ({@code extends: file:},
 *                     {@code include:}), by path as named (relative to the naming file's directory) or absolute;
 *                     a file named but not given here makes the edit refused, with the line that names it
 */
public record EditRequest(List<ComposeSource> files, Set<String> services, MemoryValue memory, ReservationPolicy reservations,
                          List<ComposeSource> referenced) {
    public EditRequest {
        files = List.copyOf(files);
        referenced = List.copyOf(referenced);
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

    /** The {@code -f} files alone (nothing they name is given). */
    public EditRequest(List<ComposeSource> files, Set<String> services, MemoryValue memory, ReservationPolicy reservations) {
        this(files, services, memory, reservations, List.of());
    }

    /** One file, reservations removed. */
    public static EditRequest of(String path, String text, Set<String> services, MemoryValue memory) {
        return new EditRequest(List.of(new ComposeSource(path, text)), services, memory, ReservationPolicy.REMOVE);
    }
}
