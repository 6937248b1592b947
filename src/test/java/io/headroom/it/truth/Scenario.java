package io.headroom.it.truth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One truth scenario: a compose project under {@code lab/projects/<name>/} standing in for a VM,
 * with its own scheduler. Ports, project name and worker count come from the folder's
 * {@code scenario} file (shared with {@code lab/scenarios}).
 *
 * @param name     folder name, e.g. {@code s3-limit-above-host}
 * @param findings per compose service: the exact set of container findings Headroom must report
 */
record Scenario(String name, Map<String, Set<String>> findings) {
    static final Path PROJECTS = Path.of("lab", "projects");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

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

    /** The scheduler's /json/identity.json, as it is now. */
    JsonNode identity() throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + meta().get("DASHBOARD_PORT") + "/json/identity.json");
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(uri + " answered " + r.statusCode());
        }
        return JSON.readTree(r.body());
    }

    @Override
    public String toString() {
        return name;
    }
}
