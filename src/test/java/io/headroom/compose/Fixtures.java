package io.headroom.compose;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Fixture loading and the line-level minimality check shared by the compose tests. */
final class Fixtures {
    static final String ROOT = "/fixtures/compose/";

    private Fixtures() {
    }

    static String read(String relative) {
        try (InputStream in = Fixtures.class.getResourceAsStream(ROOT + relative)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + relative);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ComposeSource source(String relative) {
        return new ComposeSource(relative, read(relative));
    }

    /** Service names of a compose text (top-level for version-1 files). */
    @SuppressWarnings("unchecked")
    static List<String> serviceNames(String text) {
        Map<String, Object> root = (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        Object s = root.containsKey("services") ? root.get("services") : (root.containsKey("version") ? Map.of() : root);
        return new ArrayList<>(((Map<String, Object>) s).keySet());
    }

    /** Writes the files into a fresh project directory, with what docker-compose config needs to exist. */
    @SuppressWarnings("unchecked")
    static Path project(Path tmp, List<String> names, List<String> texts, String envText) throws IOException {
        // nested, so that build contexts like ../../ stay inside tmp
        Path dir = Files.createDirectories(tmp.resolve("a/b/project"));
        for (int i = 0; i < names.size(); i++) {
            Path f = dir.resolve(names.get(i));
            Files.writeString(f, texts.get(i), StandardCharsets.UTF_8);
            Map<String, Object> root = (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(texts.get(i));
            Object s = root.containsKey("services") ? root.get("services") : root;
            if (!(s instanceof Map<?, ?> services)) {
                continue;
            }
            for (Object svc : services.values()) {
                if (!(svc instanceof Map<?, ?> m)) {
                    continue;
                }
                Object build = m.get("build");
                String context = build instanceof String bs ? bs : build instanceof Map<?, ?> bm ? (String) bm.get("context") : null;
                if (context != null && !context.contains(":") && !context.startsWith("github.com")) {
                    Files.createDirectories(dir.resolve(context));
                }
                Object envFile = m.get("env_file");
                for (Object ef : envFile instanceof List<?> l ? l : envFile == null ? List.of() : List.of(envFile)) {
                    Path p = dir.resolve(String.valueOf(ef));
                    Files.createDirectories(p.getParent());
                    if (!Files.exists(p)) {
                        Files.writeString(p, "");
                    }
                }
            }
        }
        if (envText != null) {
            Files.writeString(dir.resolve(".env"), envText);
        }
        return dir;
    }

    // ------------------------------------------------------------------ minimality

    private static final String VALUE = "(?:\"[^\"]*\"|'[^']*'|[^,}\\s#\\x00]+)";
    private static final String KEY = "\\b(?:mem_limit|mem_reservation)\\s*:\\s*" + VALUE;
    private static final Pattern KEY_AFTER_COMMA = Pattern.compile(",\\s*" + KEY);
    private static final Pattern KEY_BEFORE_COMMA = Pattern.compile(KEY + "\\s*,\\s*");
    private static final Pattern KEY_ALONE = Pattern.compile(KEY);
    private static final Pattern OWN_LINE_KEY = Pattern.compile("^(\\s*(?:mem_limit|mem_reservation|memory)\\s*:\\s*)" + VALUE);
    private static final Pattern MEMORY = Pattern.compile("\\bmemory(\\s*:\\s*)" + VALUE);
    private static final Pattern KEY_LINE = Pattern.compile("^\\s*(mem_limit|mem_reservation|memory)\\s*:.*", Pattern.DOTALL);
    private static final Pattern CASCADE_LINE = Pattern.compile("^\\s*(reservations|resources|deploy)\\s*:\\s*$", Pattern.DOTALL);

    /** A line with the memory keys' values set aside (and mem_limit/mem_reservation entries removed). */
    static String neutral(String line) {
        Matcher own = OWN_LINE_KEY.matcher(line);
        if (own.lookingAt()) {
            // a block entry (or a flow entry alone on its line): keep the key, set the value aside
            return own.group(1) + "X" + neutral(line.substring(own.end()));
        }
        String s = KEY_AFTER_COMMA.matcher(line).replaceAll("");
        s = KEY_BEFORE_COMMA.matcher(s).replaceAll("");
        s = KEY_ALONE.matcher(s).replaceAll("");
        return MEMORY.matcher(s).replaceAll("memory$1X");
    }

    /**
     * Every line outside the memory keys is byte-identical: after setting memory keys aside, the
     * old and new lines align exactly except for whole lines that are memory keys (added or removed)
     * or mappings left empty by removing one. Returns a description of the first violation, or null.
     */
    static String minimalityViolation(String before, String after) {
        List<String> a = ComposeDiff.lines(before);
        List<String> b = ComposeDiff.lines(after);
        int n = a.size();
        int m = b.size();
        String[] na = a.stream().map(Fixtures::neutral).toArray(String[]::new);
        String[] nb = b.stream().map(Fixtures::neutral).toArray(String[]::new);
        int[][] lcs = new int[n + 1][m + 1];
        for (int x = n - 1; x >= 0; x--) {
            for (int y = m - 1; y >= 0; y--) {
                lcs[x][y] = na[x].equals(nb[y]) ? lcs[x + 1][y + 1] + 1 : Math.max(lcs[x + 1][y], lcs[x][y + 1]);
            }
        }
        int x = 0;
        int y = 0;
        while (x < n || y < m) {
            if (x < n && y < m && na[x].equals(nb[y])) {
                x++;
                y++;
            } else if (x < n && (y >= m || lcs[x + 1][y] >= lcs[x][y + 1])) {
                String line = a.get(x);
                if (!KEY_LINE.matcher(line).matches() && !CASCADE_LINE.matcher(line).matches()) {
                    return "line " + (x + 1) + " removed or changed: " + line;
                }
                x++;
            } else {
                String line = b.get(y);
                if (!KEY_LINE.matcher(line).matches()) {
                    return "new line " + (y + 1) + " is not a memory key: " + line;
                }
                y++;
            }
        }
        return null;
    }
}
