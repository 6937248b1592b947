package io.headroom.compose;

import java.util.List;
import java.util.Set;

/**
 * Compose files at the edge of Compose v2's memory rules (fixtures/compose/compose-v2/): compose-go refuses a
 * service whose {@code mem_limit} / {@code mem_reservation} and {@code deploy.resources.limits|reservations.memory}
 * differ, a mapping without {@code memory} counting as 0. Shared by {@link ComposeV2RulesTest} (what the editor
 * does) and {@code ComposeV2RulesV2IT} (what {@code docker compose config} 2.26 on the lab's v2 VM says of the
 * same inputs and of the editor's outputs).
 */
public final class ComposeV2Cases {
    /** The literal limit every case asks for, in bytes. */
    public static final long LIMIT = 12_884_901_888L;

    /**
     * @param fixture     file under fixtures/compose/compose-v2/
     * @param composeRefusesInput true when {@code docker compose config} refuses the input as it is
     * @param refusedLine the line the editor's refusal names, or 0 when the editor edits the file
     */
    public record Case(String fixture, boolean composeRefusesInput, int refusedLine) {
        public String text() {
            return Fixtures.read("compose-v2/" + fixture);
        }

        /** The editor's answer: literal {@link #LIMIT} for the service {@code worker}, reservations removed. */
        public EditResult edit() {
            return ComposeEditor.edit(new EditRequest(List.of(new ComposeSource(fixture, text())), Set.of("worker"),
                    MemoryValue.bytes(LIMIT), ReservationPolicy.REMOVE));
        }
    }

    public static final List<Case> ALL = List.of(
            new Case("limits-cpus-only.yml", false, 0),
            new Case("limits-flow-cpus.yml", false, 0),
            new Case("equal-spellings.yml", false, 0),
            new Case("distinct-limits.yml", true, 4),
            new Case("limit-beside-cpus-only.yml", true, 4),
            new Case("reservation-beside-cpus-only.yml", true, 4),
            new Case("limits-shared-anchor.yml", false, 9));

    private ComposeV2Cases() {
    }
}
