/**
 * The pure model: immutable records describing what a probe saw on a host and what the analysis
 * concluded. No I/O, no JavaFX, no dependencies on other Headroom packages. All sizes are in bytes.
 */
package io.headroom.model;
