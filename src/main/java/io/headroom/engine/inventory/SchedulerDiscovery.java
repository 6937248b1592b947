package io.headroom.engine.inventory;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Reads a Dask scheduler's {@code /json/identity.json} (served on the dashboard port, 8787 by
 * default; distributed/http/scheduler/json.py): every worker with its address, host, name, threads
 * and the {@code memory_limit} Dask actually uses (0 when none) — the ground truth for the
 * prediction.
 */
public final class SchedulerDiscovery {
    /** Cap on the document size: a scheduler with thousands of workers stays far below it. */
    static final int MAX_BYTES = 16 * 1024 * 1024;

    private SchedulerDiscovery() {
    }

    /**
     * One worker as the scheduler reports it.
     *
     * @param address          e.g. {@code tcp://10.0.0.7:39127}
     * @param host             the host part of the address
     * @param name             the worker's name (from {@code --name}, or the address)
     * @param nthreads         threads
     * @param memoryLimitBytes Dask's memory limit, null when the worker runs without one
     */
    public record Worker(String address, String host, String name, int nthreads, Long memoryLimitBytes) {
    }

    /** What the scheduler said. */
    public record Result(String url, String schedulerAddress, List<Worker> workers) {
        /** The distinct worker hosts, in first-seen order. */
        public List<String> hosts() {
            return List.copyOf(new LinkedHashSet<>(workers.stream().map(Worker::host).toList()));
        }
    }

    /** Fetches and parses identity.json. {@code url} is the dashboard base, e.g. http://10.0.0.5:8787. */
    public static Result discover(String url, Duration timeout) throws IOException {
        URI base;
        try {
            base = URI.create(url.endsWith("/") ? url : url + "/");
        } catch (IllegalArgumentException e) {
            throw new IOException("not a URL: " + url);
        }
        if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme())) {
            throw new IOException("the scheduler dashboard URL must start with http:// or https:// (got " + url + ")");
        }
        URI identity = base.resolve("json/identity.json");
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        HttpRequest req = HttpRequest.newBuilder(identity).timeout(timeout).GET().build();
        try {
            HttpResponse<InputStream> resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = resp.body()) {
                if (resp.statusCode() != 200) {
                    throw new IOException(identity + " answered HTTP " + resp.statusCode() + " (is this the dashboard port, 8787 by default?)");
                }
                byte[] body = in.readNBytes(MAX_BYTES + 1);
                if (body.length > MAX_BYTES) {
                    throw new IOException(identity + " is larger than " + MAX_BYTES + " bytes; refusing to read it");
                }
                return parse(url, new String(body, java.nio.charset.StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("cancelled");
        } catch (java.net.http.HttpTimeoutException e) {
            throw new IOException(identity + " did not answer within " + timeout.toSeconds() + " s");
        } catch (java.net.ConnectException e) {
            throw new IOException("connection refused by " + base.getHost() + ":" + base.getPort());
        }
    }

    /** Parses identity.json text. */
    public static Result parse(String url, String json) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
        JsonNode root = mapper.readTree(json);
        if (root == null || !root.isObject() || !root.has("workers")) {
            throw new IOException("not a Dask scheduler identity (no 'workers')");
        }
        List<Worker> workers = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.get("workers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode w = e.getValue();
            String address = e.getKey();
            String host = w.hasNonNull("host") ? w.get("host").asText() : hostOf(address);
            long limit = w.path("memory_limit").asLong(0);
            workers.add(new Worker(address, host, w.hasNonNull("name") ? w.get("name").asText() : address,
                    w.path("nthreads").asInt(0), limit > 0 ? limit : null));
        }
        return new Result(url, root.path("address").asText(null), workers);
    }

    static String hostOf(String address) {
        String a = address.replaceFirst("^[a-z]+://", "");
        int colon = a.lastIndexOf(':');
        return colon > 0 ? a.substring(0, colon) : a;
    }
}
