/**
 * Reports for people: the figures of a host and its Dask containers computed once (shared by the
 * GUI and the CLI), and scan reports written as Markdown or self-contained HTML with every remote
 * string escaped. Pure text building; the GUI supplies chart pictures as PNG bytes.
 */
package io.headroom.engine.report;
