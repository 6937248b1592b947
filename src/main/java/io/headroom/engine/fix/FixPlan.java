package io.headroom.engine.fix;

import io.headroom.compose.FileEdit;

import java.util.List;

/**
 * What {@code headroom fix} would change for one compose project on one VM.
 *
 * @param target       the VM
 * @param project      compose project name
 * @param workingDir   the project's directory on the VM
 * @param files        the project's compose files (absolute paths, {@code -f} order)
 * @param services     services whose memory settings change
 * @param bytes        the recommended limit in bytes
 * @param envMode      true: {@code mem_limit: ${AVAILABLE_MEMORY_FOR_DASK:-0}} with the value in {@code .env}
 * @param edits        the compose file edits (before/after text, each with the SHA-256 seen by the scan)
 * @param shaBefore    SHA-256 of each edited file as the scan read it, same order as {@code edits}
 * @param notes        what the editor decided and why
 * @param refusal      why the file cannot be edited safely, or null
 */
public record FixPlan(String target, String project, String workingDir, List<String> files, List<String> services, long bytes,
                      boolean envMode, List<FileEdit> edits, List<String> shaBefore, List<String> notes, String refusal) {
    public FixPlan {
        files = List.copyOf(files);
        services = List.copyOf(services);
        edits = List.copyOf(edits);
        shaBefore = List.copyOf(shaBefore);
        notes = List.copyOf(notes);
    }

    /** The unified diff of every changed file (and the .env line in env mode). */
    public String diff() {
        StringBuilder sb = new StringBuilder();
        for (FileEdit e : edits) {
            sb.append(e.diff());
        }
        if (envMode) {
            sb.append("--- a").append(workingDir).append("/.env\n+++ b").append(workingDir)
                    .append("/.env\n@@ AVAILABLE_MEMORY_FOR_DASK is set (other lines unchanged) @@\n+AVAILABLE_MEMORY_FOR_DASK=")
                    .append(bytes).append('\n');
        }
        return sb.toString();
    }
}
