package io.headroom.analysis.dask;

import io.headroom.model.DaskView;
import io.headroom.probe.parse.ProcessSectionParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dask's YAML config files (issue 22), each case run through Dask's own config code and through Headroom:
 * a real Python process (Debian's interpreter) in the case's environment imports dask.config 2022.12.1 (its
 * paths computed at import, as in a worker) and loads dask/config.py of 2024.12.1 and 2026.7.1 from source
 * (fixtures/dask/config_files_oracle.py); while it runs, the probe's own proc_environ / dask_yaml read that
 * process's /proc/PID/environ and its config files through /proc/PID/root; Headroom's DaskConfigFiles and
 * DaskConfigEnv must give the value each release's {@code collect()} + {@code get()} gives, for every key.
 * Files go to $DASK_ROOT_CONFIG ({@code etc/}), {@code ~/.config/dask} ({@code home/}) and $DASK_CONFIG
 * ({@code user/} or a file {@code user.yaml}). No network.
 */
class DaskConfigFilesTruthTest {
    private static final String PY = "/usr/bin/python3";
    private static final Path UPSTREAM = Path.of("src/test/resources/fixtures/dask/upstream");
    private static final List<String> TAGS = List.of("2022.12.1", "2024.12.1", "2026.7.1");
    private static final List<String> KEYS = List.of("target", "spill", "pause", "terminate");
    private static final String SP = "DASK_DISTRIBUTED__WORKER__MEMORY__SPILL";

    /** One case: files (location/name → text), extra environment, and whether Headroom declines a file. */
    private record Case(String name, Map<String, String> files, Map<String, String> env, boolean declined) {
    }

    private static Map<String, String> files(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static String mem(String body) {
        return "distributed:\n  worker:\n    memory:\n" + body.indent(6);
    }

    private static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        c.add(new Case("one file in /etc/dask", files("etc/a.yaml", mem("spill: 0.5")), Map.of(), false));
        c.add(new Case("~/.config/dask over /etc/dask", files("etc/a.yaml", mem("spill: 0.5\npause: 0.75"),
                "home/.config/dask/b.yaml", mem("spill: 0.6")), Map.of(), false));
        c.add(new Case("the environment over the files", files("home/.config/dask/b.yaml", mem("spill: 0.6")),
                Map.of(SP, "0.65"), false));
        c.add(new Case("env word false over a file (a band)", files("etc/a.yaml", mem("spill: 0.5")), Map.of(SP, "false"), false));
        c.add(new Case("YAML 1.1 booleans", files("etc/a.yaml", mem("spill: off\npause: no\nterminate: On\ntarget: FALSE")),
                Map.of(), false));
        c.add(new Case("nulls", files("etc/a.yaml", mem("target: ~\nspill:\npause: null")), Map.of(), false));
        c.add(new Case("numbers as PyYAML reads them", files("etc/a.yaml",
                mem("target: 1e3\nspill: 1.0e+3\npause: .5\nterminate: 80%")), Map.of(), false));
        c.add(new Case("ints and quoted", files("etc/a.yaml", mem("target: 1\nspill: 0x1\npause: '0.9'\nterminate: \"0.85\"")),
                Map.of(), false));
        c.add(new Case("sorted files in one directory, the last wins", files("etc/b.yml", mem("spill: 0.4"),
                "etc/a.yaml", mem("spill: 0.3"), "etc/c.txt", mem("spill: 0.2")), Map.of(), false));
        c.add(new Case("comments, a document marker, other keys", files("etc/a.yaml",
                "# site config\n---\ndistributed:\n  scheduler:\n    work-stealing: false\n  worker:\n"
                        + "    memory:\n      spill: 0.55   # spill late\n      rebalance:\n        measure: optimistic\n"
                        + "    daemon: true\nlogging:\n  distributed: info\n"), Map.of(), false));
        c.add(new Case("$DASK_CONFIG as a file, after ~/.config/dask", files("home/.config/dask/b.yaml", mem("pause: 0.7"),
                "user.yaml", mem("pause: 0.72")), Map.of(), false));
        c.add(new Case("$DASK_CONFIG as a directory", files("user/z.yaml", mem("terminate: 0.97")), Map.of(), false));
        c.add(new Case("quoted keys and underscores", files("etc/a.yaml",
                "\"distributed\":\n  'worker':\n    memory:\n      spill: 0.45\n"), Map.of(), false));
        c.add(new Case("flow style: Headroom declines", files("etc/a.yaml",
                "distributed:\n  worker:\n    memory: {spill: 0.4}\n"), Map.of(), true));
        c.add(new Case("JSON: Headroom declines", files("etc/a.json",
                "{\"distributed\": {\"worker\": {\"memory\": {\"spill\": 0.4}}}}"), Map.of(), true));
        return c;
    }

    @Test
    void everyCaseAgreesWithDasksOwnConfigCode(@TempDir Path tmp) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of(PY))
                && Files.isDirectory(Path.of("/usr/lib/python3/dist-packages/dask")), "Debian's python3-dask");
        // the probe's environ block as it defines it; dask_view_of PID prints its dask-view section
        String functions = io.headroom.probe.MaskShell.environFunctions();
        int n = 0;
        int compared = 0;
        for (Case k : cases()) {
            Path dir = tmp.resolve("c" + n++);
            for (Map.Entry<String, String> f : k.files().entrySet()) {
                Path p = dir.resolve(f.getKey());
                Files.createDirectories(p.getParent());
                Files.writeString(p, f.getValue());
            }
            Files.createDirectories(dir.resolve("home"));
            ProcessBuilder pb = new ProcessBuilder(PY, Path.of("src/test/resources/fixtures/dask/config_files_oracle.py").toString(),
                    UPSTREAM.resolve("dask-2024.12.1-config.py").toString(), UPSTREAM.resolve("dask-2026.7.1-config.py").toString());
            pb.environment().keySet().removeIf(v -> v.startsWith("DASK_"));
            pb.environment().put("HOME", dir.resolve("home").toString());
            pb.environment().put("DASK_ROOT_CONFIG", dir.resolve("etc").toString());
            if (Files.exists(dir.resolve("user.yaml"))) {
                pb.environment().put("DASK_CONFIG", dir.resolve("user.yaml").toString());
            } else if (Files.exists(dir.resolve("user"))) {
                pb.environment().put("DASK_CONFIG", dir.resolve("user").toString());
            }
            pb.environment().putAll(k.env());
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            Process py = pb.start();
            JsonNode dask;
            String probe;
            try {
                BufferedReader r = new BufferedReader(new InputStreamReader(py.getInputStream(), StandardCharsets.UTF_8));
                String line = r.readLine();
                assertNotNull(line, k.name());
                dask = new ObjectMapper().readTree(line);
                Path t = Files.createDirectories(dir.resolve("T"));
                ProcessBuilder sh = new ProcessBuilder("/bin/sh", "-c", functions + "dask_view_of " + py.pid()).redirectErrorStream(true);
                sh.environment().put("T", t.toString());
                Process s = sh.start();
                probe = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals(0, s.waitFor(), probe);
            } finally {
                py.getOutputStream().close();
                py.waitFor();
            }
            DaskView view = ProcessSectionParser.parseView(probe);
            DaskConfigFiles.Result files = DaskConfigFiles.read(view.configFiles());
            if (k.declined()) {
                assertTrue(files.steps().stream().anyMatch(x -> x.contains("not read by Headroom")), k.name() + "\n" + probe);
                continue;
            }
            for (String tag : TAGS) {
                JsonNode answer = dask.get(tag);
                assertNotNull(answer, tag + " " + dask);
                for (String key : KEYS) {
                    PythonLiteral.Value mine = DaskConfigEnv.effective(view.environ(), DaskVersion.parse(tag), files, key);
                    assertEquals(answer.get(key).toString(), json(mine), k.name() + ", " + tag + ", " + key + "\n" + probe);
                    compared++;
                }
            }
        }
        assertEquals(13 * 3 * 4, compared);
    }

    private static String json(PythonLiteral.Value v) {
        if (v == null) {
            return "{\"absent\":true}";
        }
        return switch (v) {
            case PythonLiteral.None x -> "{\"value\":null}";
            case PythonLiteral.Bool b -> "{\"value\":" + b.value() + "}";
            case PythonLiteral.Num x -> "{\"number\":\"" + pyFloat(x.value()) + "\"}";
            case PythonLiteral.Str s -> "{\"repr\":\"'" + s.value() + "'\"}";
        };
    }

    private static String pyFloat(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e16) {
            return (long) d + ".0";
        }
        return Double.toString(d);
    }
}
