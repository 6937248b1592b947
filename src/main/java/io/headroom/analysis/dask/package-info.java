/**
 * An exact replica of how Dask computes a worker's memory budget, per Dask version band. Every rule
 * cites the Dask source it copies; tests pin each one.
 */
package io.headroom.analysis.dask;
