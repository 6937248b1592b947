/**
 * The analysis: Dask's memory model ({@code analysis.dask}) and the verdicts ({@link io.headroom.analysis.Analyzer}).
 * Pure functions of {@link io.headroom.model.HostFacts}; no I/O.
 */
package io.headroom.analysis;
