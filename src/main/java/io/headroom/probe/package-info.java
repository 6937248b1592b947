/**
 * Probing remote facts: the probe script (a resource), running it, and turning its sectioned
 * output into {@link io.headroom.model.HostFacts}. Parsers live in {@code probe.parse}: text in,
 * records out, no I/O.
 */
package io.headroom.probe;
