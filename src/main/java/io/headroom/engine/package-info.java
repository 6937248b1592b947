/**
 * The scan engine shared by the CLI and the GUI: runs the probe on each target in parallel, parses
 * and analyzes the output, reports progress. Depends on probe and analysis; knows no UI.
 */
package io.headroom.engine;
