package io.headroom.it.truth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.it.LabPlatform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One truth scenario: a compose project under {@code lab/projects/<name>/} standing in for a VM,
 * with its own scheduler. Ports, project name, worker count and the platforms it runs on come from
 * the folder's {@code scenario} file (shared with {@code lab/scenarios}).
 *
 * @param name     folder name, e.g. {@code s3-limit-above-host}
 * @param findings per compose service: the exact set of container findings Headroom must report
 */
record Scenario(String name, Map<String, Set<String>> findings) {
    static final Path PROJECTS = Path.of("lab", "projects");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** KEY=VALUE lines of lab/projects/NAME/scenario. */
    Map<String, String> meta() {
        try {
            Map<String, String> m = new LinkedHashMap<>();
            for (String line : Files.readAllLines(PROJECTS.resolve(name).resolve("scenario"))) {
                int eq = line.indexOf('=');
                if (!line.startsWith("#") && eq > 0) {
                    m.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
                }
            }
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The compose project name (hr-sN). */
    String project() {
        return meta().get("PROJECT");
    }

    int expectedWorkers() {
        return Integer.parseInt(meta().get("WORKERS"));
    }

    int dashboardPort() {
        return Integer.parseInt(meta().get("DASHBOARD_PORT"));
    }

    /** Whether lab/scenarios runs it on the platform (no PLATFORMS line: everywhere). */
    boolean runsOn(LabPlatform p) {
        String platforms = meta().get("PLATFORMS");
        return platforms == null || List.of(platforms.split(" ")).contains(p.id);
    }

    /** Dask processes it starts (scheduler, one launcher per container, the workers): its share of a small VM. */
    int processes() {
        return 1 + findings.size() + expectedWorkers();
    }

    /** The project's directory where the platform runs it. */
    String directory(LabPlatform p) {
        return p == LabPlatform.V1 ? PROJECTS.resolve(name).toAbsolutePath().toString() : "/opt/headroom-lab/projects/" + name;
    }

    /** The scheduler's /json/identity.json, as it is now (fetched where the platform runs). */
    JsonNode identity(LabPlatform p) throws IOException {
        return JSON.readTree(p.shOk(60, "curl -sf --max-time 10 http://127.0.0.1:" + dashboardPort() + "/json/identity.json"));
    }

    @Override
    public String toString() {
        return name;
    }
}
