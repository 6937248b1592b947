package io.headroom.analysis.dask;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.model.DaskView;
import io.headroom.model.DaskWorker;
import io.headroom.model.MemoryThresholds;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Differential test: the Java replica of Dask's memory-budget computation against the REAL Dask
 * installed on this machine (Debian python3-distributed 2022.12.1 in /usr/lib/python3/dist-packages,
 * run with /usr/bin/python3). One Python process per class evaluates every input
 * (src/test/resources/fixtures/dask/dask_oracle.py); each case becomes one dynamic test.
 *
 * <p>Skipped when /usr/bin/python3 cannot import distributed, except with {@code CI=true}, where
 * that is a failure.
 */
class DaskPythonTruthTest {
    /** The Debian interpreter; overridable (-Dheadroom.dask.python=...) only to exercise the skip path. */
    private static final String PYTHON = System.getProperty("headroom.dask.python", "/usr/bin/python3");
    private static final String SCHEDULER = "tcp://127.0.0.1:1";
    /** distributed/system.py of the newest release, 2026.7.1 (fixtures/dask/upstream/README.md). */
    private static final String UPSTREAM_SYSTEM_PY = "distributed-2026.7.1-system.py";
    /**
     * Excerpts of dask/config.py (collect_env, interpret_value) by the release they are run as
     * (fixtures/dask/upstream/README.md): 2023.9.1 reads none/null, 2026.7.1 (= 2024.2.1 = 2024.12.1)
     * also false/true.
     */
    /** dask/system.py of 2023.8.1 (= 2024.12.1) and 2026.7.1, whole files (fixtures/dask/upstream/README.md). */
    private static final Map<String, String> UPSTREAM_DASK_SYSTEM = new java.util.TreeMap<>(Map.of(
            "2023.8.1", "dask-2023.8.1-system.py",
            "2026.7.1", "dask-2026.7.1-system.py"));
    private static final Map<String, String> UPSTREAM_COLLECT_ENV = new java.util.TreeMap<>(Map.of(
            "2023.9.1", "dask-2023.9.1-config-collect_env.py",
            "2026.7.1", "dask-2026.7.1-config-collect_env.py"));
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final List<String> BYTE_INPUTS = new ArrayList<>();
    private static final List<MlCase> ML_CASES = new ArrayList<>();
    private static final List<SysCase> SYS_CASES = new ArrayList<>();
    private static final List<CpuCase> CPU_CASES = new ArrayList<>();
    private static final List<Integer> NPT_CASES = new ArrayList<>();
    private static final List<CliCase> CLI_CASES = new ArrayList<>();
    private static final List<EnvCase> ENV_CASES = new ArrayList<>();
    private static final List<MgrCase> MGR_CASES = new ArrayList<>();

    private static JsonNode oracle;

    record MlCase(String spec, int nthreads, int totalCores, long systemLimit) {
    }

    /** rlimit: {soft, hard}, or null for "getrlimit raises OSError". */
    record SysCase(String label, long total, Map<String, String> files, long[] rlimit) {
    }

    /**
     * affinity: number of CPUs psutil.Process().cpu_affinity() returns, null when it raises. files: what the
     * Python process opens; javaFiles: the view Headroom gets for it (null: derived, see {@link #javaView}).
     */
    record CpuCase(String label, int osCpuCount, Integer affinity, Map<String, String> files, Map<String, String> javaFiles) {
        CpuCase(String label, int osCpuCount, Integer affinity, Map<String, String> files) {
            this(label, osCpuCount, affinity, files, null);
        }
    }

    /**
     * The dask-view the probe reports for a process whose files are {@code c.files}: each file's first line,
     * stripped (dask_view reads one line, ProcessSectionParser strips it); {@code /proc/self/cgroup} becomes its
     * last line under {@link DaskSystemModel#SELF_CGROUP} with the namespace shared (the process sees what the
     * probe sees). Cases with a private namespace give their view explicitly.
     */
    private static DaskView javaView(CpuCase c) {
        Map<String, String> src = c.javaFiles != null ? c.javaFiles : c.files;
        Map<String, String> view = new LinkedHashMap<>();
        if (c.javaFiles == null) {
            view.put(DaskSystemModel.CGROUP_NS, "shared");
        }
        src.forEach((path, content) -> {
            if (path.equals("/proc/self/cgroup") && c.javaFiles == null) {
                String[] lines = content.strip().split("\n");
                view.put(DaskSystemModel.SELF_CGROUP, lines[lines.length - 1]);
            } else {
                view.put(path, path.equals("/proc/self/cgroup") || !path.endsWith("cpu.max") ? content
                        : content.split("\n", -1)[0].strip());
            }
        });
        return new DaskView(null, view);
    }

    record CliCase(int cpuCount, List<String> args) {
    }

    /** rss: process memory values (bytes) fed to the nanny's and the worker's memory monitors. */
    record MgrCase(String spec, boolean nanny, int nthreads, long systemLimit, List<Long> rss) {
    }

    record EnvCase(String key, String value) {
        String var() {
            return "DASK_DISTRIBUTED__WORKER__MEMORY__" + key.toUpperCase(java.util.Locale.ROOT);
        }
    }

    // ------------------------------------------------------------------ oracle run

    @BeforeAll
    static void runOracle() throws Exception {
        requireDask();
        buildCases();
        ObjectNode req = JSON.createObjectNode();
        ArrayNode pb = req.putArray("parse_bytes");
        BYTE_INPUTS.forEach(pb::add);
        ArrayNode pml = req.putArray("parse_memory_limit");
        for (MlCase c : ML_CASES) {
            ObjectNode o = pml.addObject();
            if (c.spec == null) {
                o.putNull("spec");
            } else {
                o.put("spec", c.spec);
            }
            o.put("nthreads", c.nthreads).put("total_cores", c.totalCores).put("memory_limit", Long.toString(c.systemLimit));
        }
        ArrayNode ml = req.putArray("memory_limit");
        for (SysCase c : SYS_CASES) {
            ObjectNode o = ml.addObject();
            o.put("total", Long.toString(c.total));
            ObjectNode f = o.putObject("files");
            c.files.forEach(f::put);
            if (c.rlimit == null) {
                o.put("rlimit", "oserror");
            } else {
                o.putArray("rlimit").add(c.rlimit[0]).add(c.rlimit[1]);
            }
        }
        ArrayNode cpu = req.putArray("cpu_count");
        for (CpuCase c : CPU_CASES) {
            ObjectNode o = cpu.addObject();
            o.put("os_cpu_count", c.osCpuCount);
            if (c.affinity == null) {
                o.putNull("affinity");
            } else {
                o.put("affinity", c.affinity);
            }
            ObjectNode f = o.putObject("files");
            c.files.forEach(f::put);
        }
        ArrayNode npt = req.putArray("nprocesses_nthreads");
        NPT_CASES.forEach(npt::add);
        ArrayNode cli = req.putArray("cli");
        for (CliCase c : CLI_CASES) {
            ObjectNode o = cli.addObject();
            o.put("cpu_count", c.cpuCount);
            ArrayNode a = o.putArray("args").add(SCHEDULER);
            c.args.forEach(a::add);
        }
        ArrayNode env = req.putArray("collect_env");
        for (EnvCase c : ENV_CASES) {
            env.addObject().put("var", c.var()).put("key", c.key).put("value", c.value);
        }
        ArrayNode mgr = req.putArray("memory_managers");
        for (MgrCase c : MGR_CASES) {
            ObjectNode o = mgr.addObject().put("spec", c.spec).put("nanny", c.nanny).put("nthreads", c.nthreads)
                    .put("memory_limit", Long.toString(c.systemLimit));
            ArrayNode r = o.putArray("rss");
            c.rss.forEach(x -> r.add(Long.toString(x)));
        }
        oracle = runPython(JSON.writeValueAsBytes(req));
        assertEquals(BYTE_INPUTS.size(), oracle.get("parse_bytes").size());
        assertEquals(ML_CASES.size(), oracle.get("parse_memory_limit").size());
        assertEquals(SYS_CASES.size(), oracle.get("memory_limit").size());
        assertEquals(CPU_CASES.size(), oracle.get("cpu_count").size());
        assertEquals(NPT_CASES.size(), oracle.get("nprocesses_nthreads").size());
        assertEquals(CLI_CASES.size(), oracle.get("cli").size());
        assertEquals(ENV_CASES.size(), oracle.get("collect_env").size());
        assertEquals(MGR_CASES.size(), oracle.get("memory_managers").size());
    }

    /** Skip (or, with CI=true, fail) unless /usr/bin/python3 imports the Debian distributed 2022.12.x. */
    private static void requireDask() throws Exception {
        String problem = null;
        if (!Files.isExecutable(Path.of(PYTHON))) {
            problem = PYTHON + " is not installed";
        } else {
            Process p = new ProcessBuilder(PYTHON, "-I", "-B", "-c",
                    "import distributed, dask; print(distributed.__version__)")
                    .redirectErrorStream(true).start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                problem = PYTHON + " -c 'import distributed' did not finish in 120 s";
            } else if (p.exitValue() != 0) {
                problem = PYTHON + " cannot import distributed (install Debian python3-distributed): " + out;
            } else if (!out.startsWith("2022.12.")) {
                problem = "this test pins Dask 2022.12.x (Debian python3-distributed), found distributed " + out;
            }
        }
        if (problem != null) {
            if ("true".equals(System.getenv("CI"))) {
                fail("CI=true and the Dask oracle is unavailable: " + problem);
            }
            String msg = "Dask oracle unavailable, DaskPythonTruthTest skipped: " + problem;
            System.err.println(msg); // surefire does not show a class-level abort reason
            Assumptions.abort(msg);
        }
    }

    private static JsonNode runPython(byte[] request) throws Exception {
        Path dir = Files.createTempDirectory("dask_oracle");
        Path script = dir.resolve("dask_oracle.py");
        Path in = dir.resolve("request.json");
        Path out = dir.resolve("response.json");
        Path err = dir.resolve("stderr.txt");
        List<String> upstream = new ArrayList<>(List.of(UPSTREAM_SYSTEM_PY));
        upstream.addAll(UPSTREAM_COLLECT_ENV.values());
        upstream.addAll(UPSTREAM_DASK_SYSTEM.values());
        try {
            try (InputStream res = DaskPythonTruthTest.class.getResourceAsStream("/fixtures/dask/dask_oracle.py")) {
                assertNotNull(res, "fixtures/dask/dask_oracle.py is not on the test classpath");
                Files.write(script, res.readAllBytes());
            }
            for (String name : upstream) {
                try (InputStream res = DaskPythonTruthTest.class.getResourceAsStream("/fixtures/dask/upstream/" + name)) {
                    assertNotNull(res, "fixtures/dask/upstream/" + name + " is not on the test classpath");
                    Files.write(dir.resolve(name), res.readAllBytes());
                }
            }
            ObjectNode withUpstream = (ObjectNode) JSON.readTree(request);
            withUpstream.put("upstream_system_py", dir.resolve(UPSTREAM_SYSTEM_PY).toString());
            putSources(withUpstream.putArray("upstream_collect_env"), UPSTREAM_COLLECT_ENV, dir);
            putSources(withUpstream.putArray("upstream_dask_system"), UPSTREAM_DASK_SYSTEM, dir);
            Files.write(in, JSON.writeValueAsBytes(withUpstream));
            // files, not pipes: no pipe deadlock, and a hard timeout below
            ProcessBuilder pb = new ProcessBuilder(PYTHON, "-I", "-B", script.toString())
                    .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
            // no inherited Dask configuration: defaults must be distributed.yaml's
            pb.environment().keySet().removeIf(k -> k.startsWith("DASK_") || k.startsWith("PYTHON"));
            Process p = pb.start();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("dask_oracle.py did not finish in 300 s:\n" + Files.readString(err));
            }
            if (p.exitValue() != 0) {
                fail("dask_oracle.py exited " + p.exitValue() + ":\n" + Files.readString(err));
            }
            return JSON.readTree(out.toFile());
        } finally {
            for (Path f : List.of(script, in, out, err)) {
                Files.deleteIfExists(f);
            }
            for (String name : upstream) {
                Files.deleteIfExists(dir.resolve(name));
            }
            Files.deleteIfExists(dir);
        }
    }

    /** {"tag", "path"} of each upstream file copied into dir. */
    private static void putSources(ArrayNode into, Map<String, String> byTag, Path dir) {
        byTag.forEach((tag, name) -> into.addObject().put("tag", tag).put("path", dir.resolve(name).toString()));
    }

    // ------------------------------------------------------------------ inputs

    private static void buildCases() {
        buildByteInputs();
        buildMemoryLimitCases();
        buildSystemCases();
        buildCpuCases();
        for (int n = 1; n <= 256; n++) {
            NPT_CASES.add(n);
        }
        buildCliCases();
        buildManagerCases();
        for (String key : List.of("target", "spill", "pause", "terminate")) {
            for (String v : List.of("0.5", "False", "false", "None", "1", "0", ".9", "1e-1", "abc", "True", "true",
                    "0x10", "1e400", "-1e400", "nan", "inf", " 0.5", "0.5 ", "\t0.5", "1_0", "-0.5", "'0.5'", "(0.5)",
                    "5j", "none", "FALSE", "0.0", "2", "[0.5]", "0.95", "1.5", "-1", "''", "0.6", "1.0", "+0.5",
                    // dask/tests/test_config.py at 2026.7.1: test_env_special_values (:247-254, each word as is,
                    // lower and upper) and test_env (:222-244)
                    "Null", "NULL", "null", "NONE", "TRUE", "123", "hello", "[1, 2, \"3\"]", "/not/parsable/as/literal",
                    // words with anything around them are no words
                    " false", "false ", "'false'", "fAlSe", "no", "off",
                    // a '#' starts a comment for literal_eval
                    "0.7 # spill", "0.5#", "# 0.5", "False # off", "false # off", "(0.5) # x", "-0.5#x", "0.5\t#x")) {
                ENV_CASES.add(new EnvCase(key, v));
            }
        }
    }

    private static void buildByteInputs() {
        BYTE_INPUTS.addAll(List.of(
                // from the brief and dask/utils.py's docstring
                "4G", "4GB", "4GiB", "4Gi", "4g", "4 GB", "1.5GB", "0.1kB", "1e6", "1e6 kB", "MB", "5 foos", "", " ",
                "-1GB", "inf", "nan", "1_000MB", "+5kB", ".5GB", "5.", "1e400", "PB", "10pib", "3 Ki B",
                "100", "100 MB", "100M", "5kB", "5.4 kB", "1kiB", "123", "4.3GB", "5 G B", "1e3k", "  7 ", "5KB",
                "5gib",
                // number syntax
                "1__000MB", "_1MB", "1_MB", "1_000.5_0kB", "1e1_0", "1_0e1_0kB", "0x10", "0x10MB", "0b1", "0o7", "1e",
                "5e", "5E3", "5e3kB", "1e-3", "1e-400", "1e-400GB", "-0", "-0.0GB", "--5", "+-5", "5GB.", "5.0.0GB",
                ".", "e", "-", "+", "B", "b", "i", "iB", "kiB", "KIB", "kI", "Ki", "k", "K", "EB", "E", "EiB",
                "Infinity", "-inf", "+inf", "1inf", "nanGB", "infGB", "-nan", "Infinity GB", "1.5e3.5",
                "7kB7", "5 5 GB", "1,000MB", "1'000", "5%",
                // around 2**63
                "9.3e18", "9.2e18", "9.22e18", "9223372036854775807", "9223372036854775808", "9.223372036854775807e18",
                "-9.3e18", "-9223372036854775808", "10000PiB", "8191PiB", "8192PiB", "9223PB", "9224PB", "1e20",
                "1e19B", "1e300GB", "1.8e308", "1.7976931348623157e308", "-1e300PB",
                // truncation toward zero
                "0.5B", "1.9999B", "-1.5B", "0.0001kB", "0.3GB", "0.7MB", "2.675kB", "1.1GiB", "0.1PiB", "-0.1kB",
                "1e-3GB", "4.35GB", "33.3333MB",
                // whitespace other than ASCII space (only " " is removed by parse_bytes)
                "5\tGB", "5\nGB", "\t5GB", "5 \t GB", "5GB\t", "5\rkB", "5\u000bkB", "5\u001ckB",
                "5\u00a0GB", "\u00a05GB", "5\u2003GB", "5\u3000kB", "5\u0085kB", "1e6\u00a0", "5\u200bGB", "5\u2028kB",
                // unicode digits and letters
                "\uff15GB", "\u0665GB", "\u0967\u0966MB", "5\u0660", "\u00b2GB", "\u2460MB", "\ud835\udfd3GB",
                "5\ud835\udc06", "5\uff27\uff22", "5\u212aB", "5\u00b5B", "5\u00dfB", "5 \u0130B", "5\u01c5",
                "\u216b", "3\u00bdGB", "\u0661\u066b\u0665GB", "5\u0131B", "5\u212a", "5\u03bcB"));
        List<String> numbers = List.of("0", "1", "4", "1.5", ".5", "5.", "1e3", "-2", "+3", "1_000", "0.1", "4.3",
                "1e-3", "123456789", "7.7");
        List<String> units = List.of("", "B", "b", "k", "K", "kB", "KB", "kb", "Ki", "KI", "KiB", "kib", "M", "MB",
                "Mi", "MiB", "G", "GB", "g", "gb", "Gi", "GiB", "gIb", "T", "TB", "Ti", "TiB", "P", "PB", "Pi", "PiB",
                "pib", "E", "EB", "EiB", "foo", "i", "iB", "bytes");
        for (String n : numbers) {
            for (String u : units) {
                BYTE_INPUTS.add(n + u);
                BYTE_INPUTS.add(n + " " + u);
            }
        }
    }

    private static void buildMemoryLimitCases() {
        List<Long> limits = List.of(2147483648L, 25276510208L, 3L * (1L << 30) + 7, 9223372036854771712L, 1L, 3L,
                9007199254740993L, 9223372036854775807L);
        List<int[]> autoCombos = List.of(new int[] {1, 2}, new int[] {2, 2}, new int[] {3, 2}, new int[] {1, 3},
                new int[] {7, 8}, new int[] {0, 2}, new int[] {1, 1}, new int[] {4, 8}, new int[] {2, 3},
                new int[] {5, 7}, new int[] {1, 0}, new int[] {0, 0});
        List<int[]> combos = List.of(new int[] {1, 2}, new int[] {3, 2});
        List<String> specs = new ArrayList<>(java.util.Arrays.asList(
                "0", "0.5", "1", "1.0", "2", "1B", "1GiB", "1G", "100GB", "-1", "0.25", "3e9", "inf", "nan",
                "garbage", null, "-0.5", "0.0", "-0", "1e20", "-1e15", "1e400", "-inf", "-1e400", "Infinity", "4GB",
                "4 GiB", "1e9", " 5 ", "1_000", "0.3", "0.999999999", "1.0000001", "3GB", "-5GB", "10000PB", "0GB",
                "auto ", " auto", "AUTO", "1e-400", "2.5", "12638255104", "25276510208", "25276510209", "2147483648",
                "0.5GB", "1e-10", "0.1kB", "9.3e18", "1.5", "-0.0", "0.5 GB", "2B", "1.9B", "0B", "-1B", "True"));
        // characters where CPython's float()/int() and PythonNumbers may differ: once, with one system limit
        List<String> exotic = List.of("5\u00a0GB", "\u0665", "5\u001c", "\u001c5", "5\u0085", "0.5\u00a0", "\t0.5\n",
                "\u000b2GB", "\uff13GB", "5\u2003");
        for (long l : limits) {
            for (int[] c : autoCombos) {
                ML_CASES.add(new MlCase("auto", c[0], c[1], l));
            }
            for (String s : specs) {
                for (int[] c : combos) {
                    ML_CASES.add(new MlCase(s, c[0], c[1], l));
                }
            }
        }
        for (String s : exotic) {
            ML_CASES.add(new MlCase(s, 1, 2, 25276510208L));
        }
    }

    private static final String V1_LIMIT = "/sys/fs/cgroup/memory/memory.limit_in_bytes";
    private static final String V1_SOFT = "/sys/fs/cgroup/memory/memory.soft_limit_in_bytes";
    private static final String V2_MAX = "/sys/fs/cgroup/memory.max";
    private static final String V2_HIGH = "/sys/fs/cgroup/memory.high";
    private static final String V2_LOW = "/sys/fs/cgroup/memory.low";

    private static Map<String, String> files(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static void buildSystemCases() {
        Map<String, Map<String, String>> fileSets = new LinkedHashMap<>();
        fileSets.put("no cgroup files", files());
        fileSets.put("v1 unlimited", files(V1_LIMIT, "9223372036854771712\n", V1_SOFT, "9223372036854771712\n"));
        fileSets.put("v1 2GiB", files(V1_LIMIT, "2147483648\n"));
        fileSets.put("v1 max (invalid)", files(V1_LIMIT, "max\n"));
        fileSets.put("v2 max", files(V2_MAX, "max\n", V2_HIGH, "max\n"));
        fileSets.put("v2 1GiB", files(V2_MAX, "1073741824\n", V2_HIGH, "max\n"));
        fileSets.put("v2 0", files(V2_MAX, "0\n"));
        fileSets.put("v2 -1", files(V2_MAX, "-1"));
        fileSets.put("v2 high padded", files(V2_HIGH, " 123 \n"));
        fileSets.put("v2 high underscore", files(V2_HIGH, "1_000"));
        fileSets.put("v2 high double underscore", files(V2_HIGH, "1__000"));
        fileSets.put("v2 abc", files(V2_MAX, "abc"));
        fileSets.put("v1 soft < hard", files(V1_LIMIT, "2147483648\n", V1_SOFT, "1073741824\n"));
        fileSets.put("v1 soft > hard", files(V1_LIMIT, "1073741824\n", V1_SOFT, "2147483648\n"));
        fileSets.put("v2 high < max", files(V2_MAX, "2147483648\n", V2_HIGH, "1610612736\n"));
        fileSets.put("v2 high > max", files(V2_MAX, "1610612736\n", V2_HIGH, "2147483648\n"));
        fileSets.put("v1 soft unlimited, hard 4GiB", files(V1_LIMIT, "4294967296\n", V1_SOFT, "9223372036854771712\n"));
        fileSets.put("beyond long", files(V2_MAX, "99999999999999999999\n"));
        fileSets.put("plus sign", files(V2_MAX, "+512\n"));
        fileSets.put("empty", files(V2_MAX, ""));
        fileSets.put("float", files(V2_MAX, "1.5e9"));
        fileSets.put("hex", files(V2_MAX, "0x1000"));
        fileSets.put("blank", files(V2_MAX, "  \n"));
        fileSets.put("two numbers", files(V2_MAX, "12 34"));
        fileSets.put("tab padded", files(V2_MAX, "\t777\t\n"));
        fileSets.put("all four", files(V1_LIMIT, "3000000000\n", V1_SOFT, "2500000000\n", V2_MAX, "2000000000\n",
                V2_HIGH, "1500000000\n"));
        fileSets.put("memory.low (not read before 2023.10)", files(V2_MAX, "max\n", V2_LOW, "1000000\n"));
        fileSets.put("one byte", files(V2_HIGH, "1\n"));
        List<long[]> rlimits = new ArrayList<>(List.of(new long[] {-1, -1}, new long[] {1073741824L, 2147483648L},
                new long[] {1073741824L, -1}, new long[] {-1, 1000}, new long[] {0, 0}, new long[] {-1, 1L << 40},
                new long[] {-1, 1610612736L}, new long[] {-1, 1500000000L}));
        rlimits.add(null);
        for (long total : List.of(25276510208L, 2147483648L)) {
            for (Map.Entry<String, Map<String, String>> fs : fileSets.entrySet()) {
                for (long[] rl : rlimits) {
                    SYS_CASES.add(new SysCase(fs.getKey(), total, fs.getValue(), rl));
                }
            }
        }
        // characters where CPython's int() and PythonNumbers may differ: once each
        Map<String, Map<String, String>> exotic = new LinkedHashMap<>();
        exotic.put("fullwidth digits", files(V2_MAX, "\uff11\uff12\uff13\n"));
        exotic.put("nbsp padded", files(V2_MAX, "\u00a0777\n"));
        exotic.put("vertical tab / form feed padded", files(V2_MAX, "\u000b777\u000c\n"));
        exotic.put("U+001C padded", files(V2_MAX, "\u001c777\n"));
        exotic.put("U+001F padded", files(V2_HIGH, "777\u001f\n"));
        exotic.put("NEL padded", files(V2_MAX, "\u0085777\n"));
        exotic.put("em space padded", files(V2_MAX, "\u2003777\n"));
        exotic.forEach((label, f) -> SYS_CASES.add(new SysCase(label, 25276510208L, f, new long[] {-1, -1})));
    }

    private static final String Q1 = "/sys/fs/cgroup/cpuacct,cpu/cpu.cfs_quota_us";
    private static final String P1 = "/sys/fs/cgroup/cpuacct,cpu/cpu.cfs_period_us";
    private static final String Q2 = "/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us";
    private static final String P2 = "/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us";

    private static void buildCpuCases() {
        Map<String, Map<String, String>> fileSets = new LinkedHashMap<>();
        fileSets.put("none", files());
        fileSets.put("cpuacct,cpu 1.5", files(Q1, "150000\n", P1, "100000\n"));
        fileSets.put("cpu,cpuacct 1.5", files(Q2, "150000\n", P2, "100000\n"));
        fileSets.put("first -1 stops the loop", files(Q1, "-1\n", P1, "100000\n", Q2, "100000\n", P2, "100000\n"));
        fileSets.put("first without period", files(Q1, "100000\n", Q2, "300000\n", P2, "100000\n"));
        fileSets.put("first period 0", files(Q1, "100000\n", P1, "0\n", Q2, "200000\n", P2, "100000\n"));
        fileSets.put("quota max", files(Q2, "max\n", P2, "100000\n"));
        fileSets.put("half cpu", files(Q2, "50000\n", P2, "100000\n"));
        fileSets.put("tiny quota", files(Q2, "1\n", P2, "100000\n"));
        fileSets.put("1000 cpus", files(Q2, "100000000\n", P2, "100000\n"));
        fileSets.put("v2 cpu.max ignored in 2022.12", files("/sys/fs/cgroup/cpu.max", "200000 100000\n"));
        fileSets.put("plain cpu dir ignored", files("/sys/fs/cgroup/cpu/cpu.cfs_quota_us", "100000\n",
                "/sys/fs/cgroup/cpu/cpu.cfs_period_us", "100000\n"));
        fileSets.put("padded", files(Q2, " 250000 \n", P2, "\t100000\n"));
        fileSets.put("underscores", files(Q2, "3_00000", P2, "1_00000"));
        fileSets.put("huge quota", files(Q2, "99999999999999999999999\n", P2, "1\n"));
        fileSets.put("negative quota", files(Q2, "-250000\n", P2, "100000\n"));
        fileSets.put("negative period", files(Q2, "250000\n", P2, "-100000\n"));
        fileSets.put("exactly 3", files(Q2, "300000\n", P2, "100000\n"));
        fileSets.put("just over 3", files(Q2, "300001\n", P2, "100000\n"));
        fileSets.putAll(v2CpuFileSets());
        for (int os : List.of(1, 2, 8, 64)) {
            for (Integer aff : java.util.Arrays.asList(null, 0, 1, 3, 8, 100)) {
                for (Map.Entry<String, Map<String, String>> fs : fileSets.entrySet()) {
                    CPU_CASES.add(new CpuCase(fs.getKey(), os, aff, fs.getValue()));
                }
            }
        }
        // characters where CPython's int() and PythonNumbers may differ: once each
        CPU_CASES.add(new CpuCase("U+001C padded quota", 8, null, files(Q2, "\u001c100000\n", P2, "100000\n")));
        CPU_CASES.add(new CpuCase("NBSP padded quota", 8, null, files(Q2, "\u00a0100000\n", P2, "100000\n")));
        CPU_CASES.add(new CpuCase("fullwidth quota", 8, null, files(Q2, "\uff11\uff10\uff10\uff10\uff10\uff10\n", P2, "100000\n")));
        // a private cgroup namespace: the process reads 0::/, the probe (outside it) the full path
        for (String cpuMax : List.of("200000 100000\n", "max 100000\n", "50000 100000\n")) {
            CPU_CASES.add(new CpuCase("private cgroupns, cpu.max " + cpuMax.strip(), 8, 8,
                    files("/proc/self/cgroup", "0::/\n", V2_CPU_MAX, cpuMax),
                    files(DaskSystemModel.SELF_CGROUP, "0::" + SCOPE, DaskSystemModel.CGROUP_NS, "private",
                            V2_CPU_MAX, cpuMax.strip(), "/sys/fs/cgroup" + SCOPE + "/cpu.max", "100000 100000")));
        }
    }

    private static final String V2_CPU_MAX = "/sys/fs/cgroup/cpu.max";
    private static final String SCOPE = "/system.slice/docker-abc.scope";

    /**
     * What dask ≥ 2023.8.1 reads on cgroup v2 (dask/system.py:30-40 at 2026.7.1): /proc/self/cgroup's text after
     * the last ':', then {@code map(int, f.read().split(" "))} of {@code /sys/fs/cgroup{path}cpu.max}. Before
     * 2023.8.1 none of these is opened. Left out: contents the kernel never writes and the probe's one stripped
     * line cannot show (leading spaces, a period of 0, which makes 2023.8.1+ raise ZeroDivisionError).
     */
    private static Map<String, Map<String, String>> v2CpuFileSets() {
        Map<String, Map<String, String>> m = new LinkedHashMap<>();
        String self = "/proc/self/cgroup";
        String nested = "/sys/fs/cgroup" + SCOPE + "/cpu.max";
        m.put("v2 nested 2 cpus", files(self, "0::" + SCOPE + "\n", nested, "200000 100000\n"));
        m.put("v2 nested wins over root", files(self, "0::" + SCOPE + "\n", nested, "200000 100000\n", V2_CPU_MAX, "600000 100000\n"));
        m.put("v2 nested without cpu.max", files(self, "0::/a/b\n", V2_CPU_MAX, "100000 100000\n"));
        m.put("v2 root 1.5", files(self, "0::/\n", V2_CPU_MAX, "150000 100000\n"));
        m.put("v2 root max", files(self, "0::/\n", V2_CPU_MAX, "max 100000\n"));
        m.put("v2 root half", files(self, "0::/\n", V2_CPU_MAX, "50000 100000\n"));
        m.put("v2 two spaces", files(self, "0::/\n", V2_CPU_MAX, "200000  100000\n"));
        m.put("v2 three fields", files(self, "0::/\n", V2_CPU_MAX, "200000 100000 1\n"));
        m.put("v2 tab", files(self, "0::/\n", V2_CPU_MAX, "200000\t100000\n"));
        m.put("v2 negative quota", files(self, "0::/\n", V2_CPU_MAX, "-100000 100000\n"));
        m.put("v2 huge quota", files(self, "0::/\n", V2_CPU_MAX, "99999999999999999999 1\n"));
        m.put("v2 path with trailing slash", files(self, "0::/a/b/\n", "/sys/fs/cgroup/a/b/cpu.max", "300000 100000\n"));
        m.put("v2 colon in path", files(self, "0::/a:b\n", "/sys/fs/cgroupb/cpu.max", "300000 100000\n"));
        m.put("v2 empty path", files(self, "0::\n", V2_CPU_MAX, "300000 100000\n"));
        m.put("hybrid: the last line's path", files(self, "12:cpu,cpuacct:/docker/x\n11:memory:/docker/x\n0::/docker/x\n",
                "/sys/fs/cgroup/docker/x/cpu.max", "100000 100000\n"));
        m.put("v1 quota before v2", files(Q2, "300000\n", P2, "100000\n", self, "0::" + SCOPE + "\n", nested, "100000 100000\n"));
        m.put("v1 -1 ends the search", files(Q2, "-1\n", P2, "100000\n", self, "0::" + SCOPE + "\n", nested, "100000 100000\n"));
        m.put("no /proc/self/cgroup", files(V2_CPU_MAX, "100000 100000\n"));
        return m;
    }

    private static void buildCliCases() {
        List<List<String>> variants = List.of(
                List.of(),
                List.of("--nworkers", "auto"),
                List.of("--nworkers", "auto", "--nthreads", "3"),
                List.of("--nthreads", "3", "--nworkers", "auto"),
                List.of("--nworkers", "1"), List.of("--nworkers", "2"), List.of("--nworkers", "3"),
                List.of("--nworkers", "4"), List.of("--nworkers", "8"), List.of("--nworkers", "100"),
                List.of("--nworkers", "-1"), List.of("--nworkers", "-2"), List.of("--nworkers", "-100"),
                List.of("--nworkers", "0"),
                List.of("--nthreads", "1"), List.of("--nthreads", "3", "--nworkers", "2"), List.of("--nthreads=5"),
                List.of("--nworkers=2"), List.of("--nthreads", "-1"), List.of("--nthreads", "0"),
                List.of("--nworkers", " 2"), List.of("--nworkers", "+2"), List.of("--nworkers", "1_0"),
                List.of("--nthreads", " 4 "), List.of("--nthreads", "1_2"),
                List.of("--nthreads", "4", "--nthreads", "2"), List.of("--nworkers", "2", "--nworkers", "3"),
                List.of("--memory-limit", "4GB", "--nworkers", "2"), List.of("--memory-limit=0.5"),
                List.of("--memory-limit", "0", "--nthreads", "2"), List.of("--nworkers", "1", "--no-nanny"),
                List.of("--no-nanny", "--nanny", "--nworkers", "2"),
                // refused at start-up (issue 22): none at all, or several without a nanny
                List.of("--nworkers", "-1", "--no-nanny"), List.of("--nworkers", "auto", "--no-nanny"),
                List.of("--nworkers", "-64"), List.of("--nworkers", "-65"), List.of("--nworkers=0", "--no-nanny"));
        for (int cpu : List.of(1, 2, 3, 4, 8, 12, 16, 64)) {
            for (List<String> v : variants) {
                CLI_CASES.add(new CliCase(cpu, v));
            }
        }
        // inputs Dask 2022.12.1 rejects (click usage error, int() ValueError, sys.exit): once each
        for (List<String> v : List.of(List.of("--nworkers", "2.0"), List.of("--nworkers", "abc"),
                List.of("--nworkers", "AUTO"), List.of("--nthreads", "2.5"), List.of("--nthreads", "abc"),
                List.of("--nprocs", "2"), List.of("--nworkers", "2", "--no-nanny"))) {
            CLI_CASES.add(new CliCase(4, v));
        }
    }

    private static void buildManagerCases() {
        List<String> specs = List.of("-1", "-0.5", "-1GB", "-1B", "-5GB", "-1e15", "-1e300", "-0.0001", "1B", "1.5", "1",
                "1.0", "2B", "1.9B", "0", "0.5", "2GB", "100GB", "0.999999999", "1e400", "-1e400", "garbage", "1GiB");
        for (long m : List.of(4_000_000_000L, 2147483648L, 25276510208L)) {
            List<Long> rss = List.of(1L, m / 10, m / 2 + 3, m * 83 / 100, m * 97 / 100, 2 * m);
            for (String spec : specs) {
                for (boolean nanny : List.of(true, false)) {
                    MGR_CASES.add(new MgrCase(spec, nanny, 2, m, rss));
                }
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static String show(Object o) {
        if (o == null) {
            return "None";
        }
        StringBuilder b = new StringBuilder("'");
        for (char c : o.toString().toCharArray()) {
            if (c >= 0x20 && c < 0x7f) {
                b.append(c);
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b.append('\'').toString();
    }

    /** Python's value: BigInteger, or null for None. Only for {"ok": true} records. */
    private static BigInteger pyInt(JsonNode r) {
        JsonNode v = r.get("value");
        return v == null || v.isNull() ? null : new BigInteger(v.asText());
    }

    private static String pyOutcome(JsonNode r) {
        return r.get("ok").asBoolean() ? "returns " + (pyInt(r) == null ? "None" : pyInt(r)) : "raises " + r.get("error").asText();
    }

    private static <T> Stream<DynamicTest> cases(String section, List<T> inputs, Function<T, String> name,
                                                 CaseCheck<T> check) {
        JsonNode results = oracle.get(section);
        return IntStream.range(0, inputs.size()).mapToObj(i -> DynamicTest.dynamicTest(
                "#" + i + " " + name.apply(inputs.get(i)), () -> check.check(inputs.get(i), results.get(i))));
    }

    @FunctionalInterface
    interface CaseCheck<T> {
        void check(T input, JsonNode python) throws Exception;
    }

    /** Python returned an int (or None) / raised; Java gave value/error (or threw). */
    private static void assertSameOutcome(String what, JsonNode py, BigInteger javaValue, String javaError, Throwable javaThrew) {
        if (javaThrew != null) {
            fail(what + ": Dask " + pyOutcome(py) + ", Java threw " + javaThrew);
        }
        if (py.get("ok").asBoolean()) {
            BigInteger expected = pyInt(py);
            assertNull(javaError, () -> what + ": Dask " + pyOutcome(py) + ", Java reports error '" + javaError + "'");
            assertEquals(expected, javaValue, () -> what + ": Dask " + pyOutcome(py) + ", Java returns " + javaValue);
        } else {
            assertNotNull(javaError, () -> what + ": Dask " + pyOutcome(py) + ", Java returns " + javaValue + " without error");
            assertNull(javaValue, () -> what + ": Java reports an error but also a value " + javaValue);
        }
    }

    // ------------------------------------------------------------------ tests

    /** The oracle really ran the Debian Dask 2022.12.1 with /usr/bin/python3 (not a pyenv interpreter). */
    @Test
    void oracleIsDebianDask() {
        assertEquals("/usr/bin/python3", oracle.get("executable").asText());
        assertTrue(oracle.get("distributed_file").asText().startsWith("/usr/lib/python3/dist-packages/"),
                oracle.get("distributed_file").asText());
        assertEquals("2022.12.1+ds.1", oracle.get("distributed_version").asText());
        DaskVersion v = DaskVersion.parse(oracle.get("distributed_version").asText());
        assertArrayEquals(new int[] {2022, 12, 1}, new int[] {v.year(), v.month(), v.patch()});
        assertTrue(v.atLeast(2022, 9, 2) && !v.atLeast(2023, 8, 1));
        assertEquals(DaskVersionBand.FROM_2022_9_2, DaskVersionBand.of(v));
    }

    /**
     * distributed/distributed.yaml {@code distributed.worker.memory.{target,spill,pause,terminate}} as read by
     * {@code dask.config.get} with no DASK_* variables, vs {@link MemoryThresholds#DEFAULTS}.
     */
    @Test
    void thresholdDefaults() {
        JsonNode d = oracle.get("defaults");
        MemoryThresholds j = MemoryThresholds.DEFAULTS;
        assertEquals(Double.parseDouble(d.get("target").asText()), j.target());
        assertEquals(Double.parseDouble(d.get("spill").asText()), j.spill());
        assertEquals(Double.parseDouble(d.get("pause").asText()), j.pause());
        assertEquals(Double.parseDouble(d.get("terminate").asText()), j.terminate());
    }

    /** dask/utils.py {@code parse_bytes(s)} vs {@link DaskByteSize#parse}: same int, or both raise. */
    @TestFactory
    Stream<DynamicTest> parseBytes() {
        assertTrue(BYTE_INPUTS.size() >= 150);
        return cases("parse_bytes", BYTE_INPUTS, DaskPythonTruthTest::show, (s, py) -> {
            DaskByteSize.Parsed p = null;
            Throwable threw = null;
            try {
                p = DaskByteSize.parse(s);
            } catch (RuntimeException e) {
                threw = e;
            }
            assertSameOutcome("parse_bytes(" + show(s) + ")", py, p == null ? null : p.value(),
                    p == null ? null : p.error(), threw);
        });
    }

    /**
     * distributed/worker_memory.py {@code parse_memory_limit(memory_limit, nthreads, total_cores, logger=)} as the
     * Nanny calls it (NannyMemoryManager.__init__), with {@code distributed.system.MEMORY_LIMIT} (read there as
     * {@code system.MEMORY_LIMIT}) patched, vs {@link MemoryLimitParser#parse}. Where Dask raises, Java must
     * report an error.
     */
    @TestFactory
    Stream<DynamicTest> parseMemoryLimitNanny() {
        return cases("parse_memory_limit", ML_CASES,
                c -> show(c.spec) + " nthreads=" + c.nthreads + " total_cores=" + c.totalCores + " MEMORY_LIMIT=" + c.systemLimit,
                (c, py) -> {
                    MemoryLimitParser.Result r = null;
                    Throwable threw = null;
                    try {
                        r = MemoryLimitParser.parse(c.spec, c.nthreads, c.totalCores, c.systemLimit);
                    } catch (RuntimeException e) {
                        threw = e;
                    }
                    assertSameOutcome("parse_memory_limit(" + show(c.spec) + ", " + c.nthreads + ", " + c.totalCores
                                    + ") with MEMORY_LIMIT=" + c.systemLimit, py.get("nanny"),
                            r == null ? null : r.exact(), r == null ? null : r.error(), threw);
                });
    }

    /**
     * distributed/worker_memory.py {@code parse_memory_limit(nanny_result, nthreads, ...)} a second time, as
     * WorkerMemoryManager.__init__ does in the spawned worker with the Nanny's integer, vs
     * {@link MemoryLimitParser#reparseInWorker}. Fed with Dask's own nanny value (when it fits a long).
     */
    @TestFactory
    Stream<DynamicTest> parseMemoryLimitWorkerReparse() {
        JsonNode results = oracle.get("parse_memory_limit");
        List<DynamicTest> tests = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < ML_CASES.size(); i++) {
            MlCase c = ML_CASES.get(i);
            JsonNode py = results.get(i);
            if (!py.has("worker")) {
                continue; // nanny raised or returned None: no worker parse
            }
            BigInteger n = pyInt(py.get("nanny"));
            if (!seen.add(n + "/" + c.systemLimit)) {
                continue; // same worker input as an earlier case
            }
            tests.add(DynamicTest.dynamicTest("#" + i + " nanny " + n + " (from " + show(c.spec) + ") MEMORY_LIMIT=" + c.systemLimit,
                    () -> {
                        MemoryLimitParser.Result r = null;
                        Throwable threw = null;
                        try {
                            r = MemoryLimitParser.reparseInWorker(n, c.systemLimit);
                        } catch (RuntimeException e) {
                            threw = e;
                        }
                        assertSameOutcome("worker re-parse of nanny value " + n + " (--memory-limit " + show(c.spec)
                                        + ") with MEMORY_LIMIT=" + c.systemLimit, py.get("worker"),
                                r == null ? null : r.exact(), r == null ? null : r.error(), threw);
                    }));
        }
        assertTrue(tests.size() > 100, "too few worker re-parse cases: " + tests.size());
        return tests.stream();
    }

    /**
     * distributed/system.py {@code memory_limit()} with psutil.virtual_memory, builtins.open and
     * resource.getrlimit faked, vs {@link DaskSystemModel#memoryLimit} with band FROM_2022_9_2.
     */
    @TestFactory
    Stream<DynamicTest> systemMemoryLimit() {
        assertTrue(SYS_CASES.size() >= 30);
        return cases("memory_limit", SYS_CASES,
                c -> c.label + " total=" + c.total + " rlimit=" + (c.rlimit == null ? "OSError" : c.rlimit[0] + "/" + c.rlimit[1]),
                (c, py) -> {
                    assertTrue(py.get("ok").asBoolean(), () -> "memory_limit() raised: " + py);
                    // Python's RLIM_INFINITY is -1; the Java API takes the hard limit, null when unlimited/unknown
                    Long hard = c.rlimit == null ? null : c.rlimit[1];
                    DaskSystemModel.SystemLimit j = DaskSystemModel.memoryLimit(c.total, new DaskView(null, c.files),
                            hard, DaskVersionBand.FROM_2022_9_2);
                    assertEquals(pyInt(py), BigInteger.valueOf(j.bytes()),
                            () -> "memory_limit() files=" + showMap(c.files) + " total=" + c.total + " rlimit="
                                    + (c.rlimit == null ? "OSError" : c.rlimit[0] + "/" + c.rlimit[1]) + ": Dask "
                                    + pyInt(py) + ", Java " + j.bytes() + " (" + j.steps() + ")");
                    if (hard != null && hard == -1) {
                        assertEquals(j.bytes(), DaskSystemModel.memoryLimit(c.total, new DaskView(null, c.files), null,
                                DaskVersionBand.FROM_2022_9_2).bytes(), "RLIM_INFINITY (-1) and null must agree");
                    }
                    // the files Dask opens, in order, are the band's files
                    List<String> opened = new ArrayList<>();
                    py.get("opened").forEach(n -> opened.add(n.asText()));
                    assertEquals(DaskVersionBand.FROM_2022_9_2.cgroupFiles(), opened);
                });
    }

    /**
     * distributed/system.py {@code memory_limit()} <b>of the newest release</b>, dask/distributed 2026.7.1
     * (commit 3bca3f9f, lines 14–64: the five files {@code /sys/fs/cgroup/memory/memory.limit_in_bytes},
     * {@code memory.soft_limit_in_bytes}, {@code /sys/fs/cgroup/memory.max}, {@code memory.high},
     * {@code memory.low}, each {@code int(f.read())}, kept when {@code > 0}, the minimum with
     * {@code psutil.virtual_memory().total}, then RLIMIT_RSS's hard limit when {@code 0 < hard < limit}), run
     * from its source with the same fakes and cases, vs {@link DaskSystemModel#memoryLimit} with the band
     * Headroom applies to 2026.7.1 (and 2024.12.1, whose system.py is the same file): FROM_2023_10_0.
     */
    @TestFactory
    Stream<DynamicTest> upstreamSystemMemoryLimit() {
        DaskVersionBand band = DaskVersionBand.of(DaskVersion.parse("2026.7.1"));
        assertEquals(DaskVersionBand.FROM_2023_10_0, band);
        assertEquals(band, DaskVersionBand.of(DaskVersion.parse("2024.12.1")));
        assertEquals(SYS_CASES.size(), oracle.get("upstream_memory_limit").size());
        return cases("upstream_memory_limit", SYS_CASES,
                c -> "2026.7.1 " + c.label + " total=" + c.total + " rlimit=" + (c.rlimit == null ? "OSError" : c.rlimit[0] + "/" + c.rlimit[1]),
                (c, py) -> {
                    assertTrue(py.get("ok").asBoolean(), () -> "memory_limit() raised: " + py);
                    Long hard = c.rlimit == null ? null : c.rlimit[1];
                    DaskSystemModel.SystemLimit j = DaskSystemModel.memoryLimit(c.total, new DaskView(null, c.files), hard, band);
                    assertEquals(pyInt(py), BigInteger.valueOf(j.bytes()),
                            () -> "2026.7.1 memory_limit() files=" + showMap(c.files) + ": Dask " + pyInt(py) + ", Java " + j.bytes());
                    List<String> opened = new ArrayList<>();
                    py.get("opened").forEach(n -> opened.add(n.asText()));
                    assertEquals(band.cgroupFiles(), opened, "the files 2026.7.1 opens, in order");
                });
    }

    /**
     * dask/system.py {@code cpu_count()} with os.cpu_count, psutil.Process().cpu_affinity and builtins.open faked,
     * vs {@link DaskSystemModel#cpuCount} for DaskVersion 2022.12.1 (no cgroup v2 cpu.max before 2023.8.1).
     */
    @TestFactory
    Stream<DynamicTest> cpuCount() {
        DaskVersion v = DaskVersion.parse("2022.12.1+ds.1");
        return cases("cpu_count", CPU_CASES,
                c -> c.label + " os.cpu_count=" + c.osCpuCount + " affinity=" + (c.affinity == null ? "raises" : c.affinity),
                (c, py) -> {
                    assertTrue(py.get("ok").asBoolean(), () -> "cpu_count() raised: " + py);
                    int j = DaskSystemModel.cpuCount(c.osCpuCount, c.affinity, javaView(c), v);
                    assertEquals(pyInt(py), BigInteger.valueOf(j), () -> "cpu_count() files=" + showMap(c.files)
                            + " os.cpu_count=" + c.osCpuCount + " affinity=" + c.affinity + ": Dask " + pyInt(py) + ", Java " + j);
                    if (c.files.isEmpty()) {
                        assertEquals(j, DaskSystemModel.cpuCount(c.osCpuCount, c.affinity, null, v), "null view = no files");
                    }
                });
    }

    /**
     * dask/system.py {@code cpu_count()} <b>of newer releases</b>, run from their source (fixtures/dask/upstream:
     * 2023.8.1, the first with the cgroup v2 {@code cpu.max} of the process's own cgroup, commit c6912aae0,
     * byte-identical at 2024.12.1; and 2026.7.1, which counts {@code os.sched_getaffinity(0)} first, dask/dask#12221)
     * with the same fakes and cases, vs {@link DaskSystemModel#cpuCount} for 2023.8.1, 2024.12.1 and 2026.7.1 with the
     * view the probe reports ({@link #javaView}). Not compared: cases where the release raises on inputs a kernel never
     * gives (an affinity Python cannot read or an empty one, which 2026.7.1 asserts against; a v1 period of 0, a
     * ZeroDivisionError outside the try since 2023.8.1).
     */
    @TestFactory
    Stream<DynamicTest> upstreamCpuCount() {
        List<DynamicTest> tests = upstream("upstream_cpu_count", UPSTREAM_DASK_SYSTEM,
                Map.of("2023.8.1", List.of("2023.8.1", "2024.12.1"), "2026.7.1", List.of("2026.7.1")), CPU_CASES,
                c -> c.label + " os.cpu_count=" + c.osCpuCount + " affinity=" + c.affinity, (c, py, v) -> {
                    if (!py.get("ok").asBoolean()) {
                        String err = py.get("error").asText();
                        boolean unreal = c.affinity == null || c.affinity == 0 || err.startsWith("ZeroDivisionError");
                        assertTrue(unreal, () -> "dask/system.py raised " + err + " for " + c.label + " as " + v.text());
                        return null;
                    }
                    return () -> {
                        DaskSystemModel.CpuCount j = DaskSystemModel.cpu(c.osCpuCount, c.affinity, javaView(c), v);
                        assertEquals(pyInt(py), BigInteger.valueOf(j.count()), () -> "cpu_count() " + v.text() + " files="
                                + showMap(c.files) + ": Dask " + pyInt(py) + " (opened " + py.get("opened") + "), Java "
                                + j.count() + " " + j.steps());
                    };
                });
        assertTrue(tests.size() > CPU_CASES.size(), "too few upstream cpu_count cases: " + tests.size());
        return tests.stream();
    }

    /** Checks one case as one version from one release's result; null leaves the case out. */
    @FunctionalInterface
    interface UpstreamCheck<T> {
        org.junit.jupiter.api.function.Executable check(T input, JsonNode python, DaskVersion version);
    }

    /**
     * One test per case, per release whose source ran it (a key of {@code sources}), per version that release
     * stands for ({@code runAs}): the oracle's section holds {tag: [result per input]}.
     */
    private static <T> List<DynamicTest> upstream(String section, Map<String, String> sources, Map<String, List<String>> runAs,
                                                 List<T> inputs, Function<T, String> name, UpstreamCheck<T> check) {
        JsonNode all = oracle.get(section);
        assertEquals(sources.keySet(), iterable(all.fieldNames()));
        assertEquals(sources.keySet(), runAs.keySet());
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : new java.util.TreeMap<>(runAs).entrySet()) {
            JsonNode results = all.get(e.getKey());
            assertEquals(inputs.size(), results.size());
            for (String version : e.getValue()) {
                DaskVersion v = DaskVersion.parse(version);
                for (int i = 0; i < inputs.size(); i++) {
                    T c = inputs.get(i);
                    org.junit.jupiter.api.function.Executable x = check.check(c, results.get(i), v);
                    if (x != null) {
                        tests.add(DynamicTest.dynamicTest("source " + e.getKey() + " as " + version + " #" + i + " "
                                + name.apply(c), x));
                    }
                }
            }
        }
        return tests;
    }

    /** distributed/deploy/utils.py {@code nprocesses_nthreads(n)} vs {@link WorkerCommandLine#nprocessesNthreads}. */
    @TestFactory
    Stream<DynamicTest> nprocessesNthreads() {
        return cases("nprocesses_nthreads", NPT_CASES, n -> "n=" + n, (n, py) -> {
            assertTrue(py.get("ok").asBoolean(), py::toString);
            int[] expected = {py.get("value").get(0).asInt(), py.get("value").get(1).asInt()};
            assertArrayEquals(expected, WorkerCommandLine.nprocessesNthreads(n), "nprocesses_nthreads(" + n + ")");
        });
    }

    /**
     * distributed/cli/dask_worker.py {@code main} (the real click command, with its module globals CPU_COUNT and
     * nprocesses_nthreads bound to the given CPU count and Nanny replaced by a recorder) vs
     * {@link WorkerCommandLine#parse} + {@link WorkerCommandLine#workersAndThreads}: number of Nannies, the
     * {@code nthreads} passed to each (before Nanny's {@code nthreads or CPU_COUNT}) and the raw
     * {@code memory_limit}. Where Dask exits because n_workers ≤ 0, Java must report 0 workers.
     */
    @TestFactory
    Stream<DynamicTest> cliWorkersAndThreads() {
        return cases("cli", CLI_CASES, c -> "CPU_COUNT=" + c.cpuCount + " " + c.args.stream().map(DaskPythonTruthTest::show).toList(),
                (c, py) -> {
                    List<String> argv = new ArrayList<>(List.of("dask", "worker", SCHEDULER));
                    argv.addAll(c.args);
                    WorkerCommandLine cmd = WorkerCommandLine.parse(argv).orElseThrow();
                    int[] wt = cmd.workersAndThreads(c.cpuCount);
                    String what = "dask worker " + c.args + " with CPU_COUNT=" + c.cpuCount;
                    String refusal = cmd.refusal(c.cpuCount);
                    if (py.get("ok").asBoolean()) {
                        assertNull(refusal, what + ": Dask starts, Java refuses: " + refusal);
                        JsonNode nannies = py.get("nannies");
                        assertEquals(nannies.size(), wt[0], what + ": nworkers (Dask started " + nannies.size()
                                + " Nannies, Java " + wt[0] + ")");
                        for (JsonNode n : nannies) {
                            assertEquals(n.get("nthreads").asInt(), wt[1], what + ": nthreads passed to Nanny");
                            assertEquals(n.get("memory_limit").asText(), cmd.memoryLimit(), what + ": memory_limit passed to Nanny");
                        }
                    } else if (py.get("error").asText().equals("SystemExit: 1") && wt[0] <= 0) {
                        assertEquals(0, wt[0], what + ": Dask exits (n_workers <= 0, or > 1 with --no-nanny)");
                        // Dask's own words: what dask_worker.py logs before sys.exit(1)
                        assertEquals(1, py.get("logged_errors").size(), what + ": " + py);
                        assertEquals(py.get("logged_errors").get(0).asText(), refusal, what);
                    } else if (cmd.error() != null) {
                        assertEquals(cmd.error(), refusal, what);
                        assertTrue(cmd.error().length() > 10, what + ": Java explains the refusal: " + cmd.error());
                    } else {
                        fail(what + ": Dask fails with " + py.get("error").asText() + ", Java predicts nworkers="
                                + wt[0] + " nthreads=" + wt[1] + " without an error");
                    }
                });
    }

    /**
     * distributed/worker_memory.py's real NannyMemoryManager and WorkerMemoryManager (2022.12.1; the same
     * logic at 2026.7.1: parse_memory_limit :451-484, WorkerMemoryManager.__init__ :112-183 with the spill
     * buffer's target {@code int(memory_limit * target)} at :141-155, _maybe_pause_or_unpause :201-208,
     * NannyMemoryManager :363-406) on stand-in Nanny / Worker objects, vs {@link DaskMemoryModel#limits} and
     * the {@link DaskWorker} Headroom builds from it: the nanny's and the worker's memory_limit, whether the
     * nanny restarts and the worker pauses at each RSS, and what a negative limit does (every result on
     * disk at once, no pause, no restart). A nanny limit of 1 byte ({@code 1B}, {@code 1.5}) restarts the
     * worker at any RSS while the worker holds the whole system limit; {@code --no-nanny} has no restart.
     */
    @TestFactory
    Stream<DynamicTest> memoryManagers() {
        return cases("memory_managers", MGR_CASES, c -> show(c.spec) + (c.nanny ? " with nanny" : " --no-nanny")
                + " MEMORY_LIMIT=" + c.systemLimit, (c, py) -> {
                    DaskMemoryModel.Limits l = DaskMemoryModel.limits(c.spec, c.nanny, c.nthreads, 8, c.systemLimit);
                    String what = "--memory-limit " + show(c.spec) + (c.nanny ? "" : " --no-nanny") + " MEMORY_LIMIT="
                            + c.systemLimit + ": Dask " + py + ", Java worker " + l.worker() + " nanny " + l.nanny();
                    if (!py.get("ok").asBoolean()) {
                        assertNotNull(l.worker().error(), what);
                        return;
                    }
                    assertNull(l.worker().error(), what);
                    if (c.nanny) {
                        assertEquals(pyBig(py.get("nanny_limit")), l.nanny(), what);
                    } else {
                        assertNull(l.nanny(), what);
                    }
                    assertEquals(pyBig(py.get("worker_limit")), l.worker().exact(), what);
                    DaskWorker w = new DaskWorker(1, 1, List.of(), "2022.12.1", c.nthreads, 1, 8, c.spec, c.systemLimit,
                            "MemTotal", l.worker().bytes(), MemoryThresholds.DEFAULTS, l.worker().steps(), null, !c.nanny,
                            l.worker().exact(), l.nanny());
                    for (int i = 0; i < c.rss.size(); i++) {
                        long rss = c.rss.get(i);
                        boolean pause = w.pauseBytes() != null && rss > w.pauseBytes();
                        assertEquals(py.get("pauses").get(i).asBoolean(), pause, what + ": pause at RSS " + rss);
                        boolean restart = w.terminateBytes() != null && rss > w.terminateBytes();
                        boolean pyRestart = c.nanny && py.get("restarts").get(i).asBoolean();
                        assertEquals(pyRestart, restart, what + ": restart at RSS " + rss + " (Java terminate at "
                                + w.terminateBytes() + ")");
                    }
                    if (w.negativeLimit()) {
                        assertTrue(py.get("spilled_at_once").asBoolean(), what + ": a negative limit spills at once");
                        assertTrue(new BigInteger(py.get("target").asText()).signum() <= 0, what + ": target int(limit × 0.6) ≤ 0");
                    } else if (w.memoryLimitBytes() != null && w.memoryLimitBytes() > 1000) {
                        assertTrue(!py.get("spilled_at_once").asBoolean(), what);
                    }
                    if (!c.nanny) {
                        assertNull(w.terminateBytes(), what);
                        assertEquals("no restart at 95%: no nanny", w.noNannyText(), what);
                    }
                });
    }

    private static BigInteger pyBig(JsonNode v) {
        return v == null || v.isNull() ? null : new BigInteger(v.asText());
    }

    /**
     * dask/config.py {@code collect_env} for DASK_DISTRIBUTED__WORKER__MEMORY__{TARGET,SPILL,PAUSE,TERMINATE}
     * (ast.literal_eval, falling back to the string), then whether the threshold expressions of
     * distributed/worker_memory.py (WorkerMemoryManager.__init__, _maybe_pause_or_unpause, _maybe_spill,
     * NannyMemoryManager.memory_monitor) raise with that value; vs {@link DaskConfigEnv#thresholds}:
     * a number is taken as is, False disables (null), a value Dask crashes on gives the default plus a note.
     */
    @TestFactory
    Stream<DynamicTest> configEnvThresholds() {
        DaskVersion debian = DaskVersion.parse("2022.12.1+ds.1");
        assertEquals(DaskConfigEnv.Words.RAW_STRING, DaskConfigEnv.Words.of(debian));
        return cases("collect_env", ENV_CASES, c -> c.var() + "=" + show(c.value), (c, py) -> checkEnv(c, py, debian));
    }

    /**
     * The same cases through collect_env (and interpret_value) <b>of newer releases</b>, compiled from their
     * source (fixtures/dask/upstream/dask-TAG-config-collect_env.py: dask/config.py:234-270 at 2023.9.1 and
     * :247-288 at 2026.7.1, the latter byte-identical to :250-291 at 2024.2.1 and :248-288 at 2024.12.1), vs
     * {@link DaskConfigEnv#thresholds} with that version and the version just before the band starts:
     * 2023.9.1 reads {@code none}/{@code null} in any case as None (dask/dask#10487), 2024.2.1 onwards also
     * {@code false}/{@code true} (dask/dask#10926). The threshold expressions are 2022.12.1's, unchanged at
     * 2026.7.1 (distributed/worker_memory.py:143-148, 172-173, 202-208, 242-252, 382, 406 there).
     */
    @TestFactory
    Stream<DynamicTest> upstreamConfigEnvThresholds() {
        assertEquals(DaskConfigEnv.Words.NONE_NULL, DaskConfigEnv.Words.of(DaskVersion.parse("2023.9.1")));
        assertEquals(DaskConfigEnv.Words.YAML_WORDS, DaskConfigEnv.Words.of(DaskVersion.parse("2024.2.1")));
        assertEquals(DaskConfigEnv.Words.RAW_STRING, DaskConfigEnv.Words.of(DaskVersion.parse("2023.8.1")));
        return upstream("upstream_collect_env", UPSTREAM_COLLECT_ENV,
                Map.of("2023.9.1", List.of("2023.9.1", "2024.1.1"), "2026.7.1", List.of("2024.2.1", "2024.12.1", "2026.7.1")),
                ENV_CASES, c -> c.var() + "=" + show(c.value),
                (c, py, v) -> () -> checkEnv(c, py, v)).stream();
    }

    private static java.util.Set<String> iterable(java.util.Iterator<String> it) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        it.forEachRemaining(out::add);
        return out;
    }

    private static void checkEnv(EnvCase c, JsonNode py, DaskVersion version) {
        {
            assertTrue(py.get("ok").asBoolean(), py::toString);
            DaskConfigEnv.Result r = DaskConfigEnv.thresholds(Map.of(c.var(), c.value), version);
            Double j = switch (c.key) {
                case "target" -> r.thresholds().target();
                case "spill" -> r.thresholds().spill();
                case "pause" -> r.thresholds().pause();
                default -> r.thresholds().terminate();
            };
            Double def = switch (c.key) {
                case "target" -> MemoryThresholds.DEFAULTS.target();
                case "spill" -> MemoryThresholds.DEFAULTS.spill();
                case "pause" -> MemoryThresholds.DEFAULTS.pause();
                default -> MemoryThresholds.DEFAULTS.terminate();
            };
            List<String> notes = r.notes().stream().filter(n -> n.contains(c.var())).toList();
            String kind = py.get("kind").asText();
            JsonNode crash = py.get("crash");
            String dask = "Dask " + version.text() + ": " + c.var() + "=" + show(c.value) + ": collect_env gives " + py.get("repr").asText()
                    + (crash.isNull() ? ", no threshold expression raises" : ", Dask then raises " + crash.asText());
            if (kind.equals("false")) {
                assertNull(j, dask + "; Java " + j);
                assertEquals(1, notes.size(), dask + "; Java notes " + r.notes());
                assertTrue(notes.get(0).contains("off"), notes.get(0));
            } else if (!crash.isNull()) {
                assertEquals(def, j, dask + "; Java must show the default, shows " + j);
                assertEquals(1, notes.size(), dask + "; Java must add a note, notes " + r.notes());
            } else if (kind.equals("number") && c.key.equals("target") && pyFloat(py.get("number").asText()) == 0) {
                // `if self.memory_target_fraction:` — 0 turns the target off like False
                assertNull(j, dask + "; target 0 is off, Java shows " + j);
            } else if (kind.equals("number")) {
                assertEquals(pyFloat(py.get("number").asText()), j, dask + "; Java " + j + " notes " + r.notes());
                assertTrue(notes.isEmpty(), dask + "; Java notes " + notes);
            } else {
                // None / a falsy string for target: `self.memory_target_fraction or self.memory_spill_fraction`
                // and `if self.memory_target_fraction:` make it behave exactly like False.
                assertNull(j, dask + " and it behaves like False; Java shows " + j + " with notes " + r.notes());
            }
        }
    }

    private static double pyFloat(String repr) {
        return switch (repr) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            case "nan" -> Double.NaN;
            default -> Double.parseDouble(repr);
        };
    }

    private static String showMap(Map<String, String> m) {
        StringBuilder b = new StringBuilder("{");
        m.forEach((k, v) -> b.append(k).append('=').append(show(v)).append(", "));
        return b.append('}').toString();
    }
}
