/**
 * Clusters: named lists of targets with per-cluster options, stored as a human-editable YAML file
 * in the user's config directory; and discovery of worker hosts from a Dask scheduler.
 */
package io.headroom.engine.inventory;
