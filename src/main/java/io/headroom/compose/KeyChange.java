package io.headroom.compose;

/**
 * One change of one memory key.
 *
 * @param service the targeted service
 * @param key     {@code mem_limit}, {@code mem_reservation}, {@code deploy.resources.limits.memory} or
 *                {@code deploy.resources.reservations.memory}
 * @param action  what was done
 * @param before  the previous value as written (null when the key was added)
 * @param after   the new value as written (null when removed)
 * @param line    1-based line of the change in the file before the edit
 * @param where   a short human explanation (e.g. "in the shared anchor &amp;worker, every user of which is targeted")
 */
public record KeyChange(String service, String key, Action action, String before, String after, int line, String where) {
    public enum Action {
        /** An existing value replaced where it is written (the service itself). */
        REPLACED,
        /** An existing value replaced inside an anchor whose users are all targeted. */
        REPLACED_IN_ANCHOR,
        /** A new key line added to the service (overrides any value merged from an anchor). */
        INSERTED,
        /** The key removed. */
        REMOVED
    }
}
