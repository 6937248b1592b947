package io.headroom.probe.parse;

import java.util.List;

/**
 * A probe's whole output split into sections.
 *
 * @param version  the probe format version from the {@code done} line, or -1 when the stream ended early
 * @param complete true when the probe printed its final {@code done} line
 * @param sections in the order printed
 * @param stray    count of lines outside any section (ignored; shell noise such as a login banner)
 */
public record ProbeStream(int version, boolean complete, List<ProbeSection> sections, int stray) {
    public ProbeStream {
        sections = List.copyOf(sections);
    }

    /** The first section with this name and subject, or null. */
    public ProbeSection find(String name, String subject) {
        for (ProbeSection s : sections) {
            if (s.name().equals(name) && s.subject().equals(subject)) {
                return s;
            }
        }
        return null;
    }

    /** The first section with this name, or null. */
    public ProbeSection first(String name) {
        for (ProbeSection s : sections) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    /** All sections with this name. */
    public List<ProbeSection> all(String name) {
        return sections.stream().filter(s -> s.name().equals(name)).toList();
    }
}
