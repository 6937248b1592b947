package io.headroom.probe;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The probe's meta section reads the kernel's files with shell builtins where the tools only print them: the
 * effective uid from /proc/self/status (as {@code id -u}), the machine from /proc/sys/kernel/arch (as
 * {@code uname -m}, Linux 6.1+), the online CPUs from /sys/devices/system/cpu/online (what glibc's get_nprocs, so
 * {@code getconf _NPROCESSORS_ONLN} and Python's {@code os.cpu_count()}, reads). The tools themselves are the truth
 * on this machine; the cpuset(7) lists the kernel can print, and malformed ones (which fall back to getconf), are
 * checked on files. Under dash and busybox sh.
 */
class ProbeMetaTest {
    @TempDir
    Path tmp;

    private static final String ONLINE = "/sys/devices/system/cpu/online";

    private List<String> shell(String name) throws Exception {
        return name.equals("busybox") ? List.of(MaskShell.busyboxBin(tmp, List.of("sh")).resolve("sh").toString()) : List.of(name);
    }

    private static String tool(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dash", "busybox"})
    void theBuiltinsPrintWhatTheToolsPrint(String sh) throws Exception {
        String script = "PROBE_VERSION=7\n" + MaskShell.function("cpus_online") + "\n" + MaskShell.function("probe_meta") + "\nprobe_meta\n";
        Map<String, String> meta = new LinkedHashMap<>();
        for (String line : MaskShell.run(shell(sh), Map.of(), tmp, script, "").split("\n")) {
            int eq = line.indexOf('=');
            meta.put(line.substring(0, eq), line.substring(eq + 1));
        }
        assertEquals(tool("id", "-u"), meta.get("uid"));
        assertEquals(tool("uname", "-m"), meta.get("machine"));
        assertEquals(tool("uname", "-r"), meta.get("kernel"));
        assertEquals(tool("getconf", "_NPROCESSORS_ONLN"), meta.get("cpus"));
        assertEquals("7", meta.get("version"));
        assertTrue(Math.abs(Long.parseLong(meta.get("epoch")) - System.currentTimeMillis() / 1000) < 60, meta.get("epoch"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dash", "busybox"})
    void countsTheCpusOfACpusetList(String sh) throws Exception {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("0", "1");
        cases.put("0-1", "2");
        cases.put("0-3,6", "5");
        cases.put("0,2-5,8", "6");
        cases.put("0-127", "128");
        cases.put("4-4", "1");
        // not a list the kernel prints: the probe asks getconf instead
        for (String bad : List.of("", "3-1", "0-", "-1", "1-2-3", "a", "0,,1", "08", "1,*", "0-1 ", "0-$(reboot)")) {
            cases.put(bad, "fallback");
        }
        String function = MaskShell.function("cpus_online");
        assertTrue(function.contains(ONLINE), function);
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path file = tmp.resolve("online");
            Files.writeString(file, c.getKey() + "\n");
            String script = function.replace(ONLINE, file.toString()) + "\ncpus_online || echo fallback\n";
            assertEquals(c.getValue(), MaskShell.run(shell(sh), Map.of(), tmp, script, "").strip(), "online = '" + c.getKey() + "'");
        }
    }
}
