package io.headroom.probe.parse;

import io.headroom.model.CgroupMemory;
import io.headroom.model.CgroupMode;
import io.headroom.model.ComposeFile;
import io.headroom.model.ContainerFacts;
import io.headroom.model.DaskView;
import io.headroom.model.HostFacts;
import io.headroom.model.MemInfo;
import io.headroom.model.OomEvent;
import io.headroom.model.ProcessFacts;
import io.headroom.model.SectionProblem;
import io.headroom.probe.HostFactsAssembler;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static io.headroom.probe.parse.V2Fixtures.STREAM_NONCE;
import static io.headroom.probe.parse.V2Fixtures.WORKER_ID;
import static io.headroom.probe.parse.V2Fixtures.v2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Malformed and hostile input for every parser: nothing may throw except {@link UnreadableSectionException} where
 * a parser documents it (CgroupSectionParser.parse, MemInfoParser.parse, ComposeSectionParser.parse), and
 * {@link ProbeStreamParser} must treat frames with another nonce as content.
 */
class ParserMalformedInputTest {
    private static final String ID = "a".repeat(64);

    /** Inputs no parser should choke on. */
    static Map<String, String> malformedInputs() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        Map<String, String> in = new LinkedHashMap<>();
        in.put("empty", "");
        in.put("newlines", "\n\n\n");
        in.put("blanks", "   \t \n \t");
        in.put("garbage", "garbage: = -- ;; )( }{ \\");
        in.put("control chars", "\u0000\u0001\u0002\u001b[31m\u007f\uFFFD");
        in.put("all bytes as latin-1", new String(all, StandardCharsets.ISO_8859_1));
        in.put("all bytes as utf-8", new String(all, StandardCharsets.UTF_8));
        in.put("huge", "99999999999999999999999");
        in.put("huge negative", "-99999999999999999999999");
        in.put("negative", "-1");
        in.put("crlf", "a\r\nb=c\r\n--- x\r\n1\r\n");
        in.put("lone cr", "\r\r\r");
        in.put("header only", "--- ");
        in.put("headers", "--- \n--- x\n---\n--- dir\n--- dir v2\n--- dir v1 \n--- unavailable");
        in.put("kv", "=\n==\nkey=value=x\n=x");
        in.put("frames", "==HR:\n==HR::begin\n==HR:n:end\n==HR:n:done version=\n==HR:n:begin  ");
        in.put("meminfo-like", "MemTotal:\nMemTotal: kB\nMemAvailable: x kB\nMemTotal: 99999999999999999999999 kB\n: 5\n");
        in.put("oom-like", "oom-kill:task_memcg=,task=,pid=\nKilled process  ()\nKilled process 99999999999999999999 (x)\n"
                + "oom-kill:constraint=,oom_memcg=,task_memcg=,task=,pid=1\nKilled process 1 (");
        in.put("cpu lists", "0-\n-\n,,,\n0--1\n1-0\n0-99999999999999999999999");
        in.put("limits-like", "Max resident set\nMax resident set x\nMax resident set -1 -99999999999999999999 bytes");
        in.put("json-like", "{\n[\n{\"Id\":null}\n{\"Id\":1}\n[]\nnull\n\"x\"\n{\"Id\":\"" + ID + "\",\"Args\":{}}");
        in.put("nested", "[".repeat(5000) + "\n" + "{\"a\":".repeat(3000));
        in.put("long line", "x".repeat(1 << 20));
        in.put("tabs", "\t\t\t\n/x\t\n\t<absent>\n/proc/meminfo\t;;;\n");
        return in;
    }

    private static final Map<String, Consumer<String>> NEVER_THROW = new LinkedHashMap<>();
    private static final Map<String, Consumer<String>> MAY_THROW_UNREADABLE = new LinkedHashMap<>();

    static {
        NEVER_THROW.put("MountInfoParser.cgroupMode", MountInfoParser::cgroupMode);
        NEVER_THROW.put("KernelOomParser.parse", KernelOomParser::parse);
        NEVER_THROW.put("DockerInspectParser.parse", t -> DockerInspectParser.parse(t, Map.of()));
        NEVER_THROW.put("DockerInspectParser.parseEnv", DockerInspectParser::parseEnv);
        NEVER_THROW.put("ProcLimitsParser.hardRssLimit", ProcLimitsParser::hardRssLimit);
        NEVER_THROW.put("CpuListParser.count", CpuListParser::count);
        NEVER_THROW.put("ProcessSectionParser.parse", t -> ProcessSectionParser.parse(1, t, null));
        NEVER_THROW.put("ProcessSectionParser.parseView", ProcessSectionParser::parseView);
        NEVER_THROW.put("ProbeStreamParser.parse", t -> ProbeStreamParser.parse(t, "n"));
        NEVER_THROW.put("KeyValueParser.parse", KeyValueParser::parse);
        NEVER_THROW.put("DotEnvParser.availableMemoryForDask", DotEnvParser::availableMemoryForDask);
        NEVER_THROW.put("MemInfoParser.memTotalOrNull", MemInfoParser::memTotalOrNull);
        NEVER_THROW.put("Numbers.parseLongOrNull", Numbers::parseLongOrNull);
        NEVER_THROW.put("HostFactsAssembler.assemble(section text)", t -> HostFactsAssembler.assemble("x",
                ProbeStreamParser.parse(everySection(t), "n")));
        MAY_THROW_UNREADABLE.put("CgroupSectionParser.parse", CgroupSectionParser::parse);
        MAY_THROW_UNREADABLE.put("MemInfoParser.parse", MemInfoParser::parse);
        MAY_THROW_UNREADABLE.put("ComposeSectionParser.parse", t -> ComposeSectionParser.parse("/x", t, false));
    }

    /** A probe stream (nonce n) whose every section holds {@code body}. */
    private static String everySection(String body) {
        StringBuilder sb = new StringBuilder();
        for (String[] s : new String[][] {{"meta", "-"}, {"meminfo", "-"}, {"mountinfo", "-"}, {"etc-environment", "-"},
                {"kernel-oom", "-"}, {"docker-ps", "-"}, {"docker-inspect", "-"}, {"docker-env", "-"},
                {"container-cgroup", ID}, {"process", ID + "/7"}, {"dask-view", ID + "/7"},
                {"compose-file", "/srv/x/compose.yml"}, {"dotenv", "/srv/x/.env"}}) {
            sb.append("==HR:n:begin ").append(s[0]).append(' ').append(s[1]).append('\n').append(body).append('\n')
                    .append("==HR:n:end ").append(s[0]).append(" status=ok\n");
        }
        // a valid container line so that the per-container sections are used
        return sb.append("==HR:n:begin docker-inspect -\n{\"Id\":\"").append(ID).append("\",\"Pid\":7}\n")
                .append("==HR:n:end docker-inspect status=ok\n==HR:n:done version=1\n").toString();
    }

    @TestFactory
    Stream<DynamicTest> noParserThrowsOnMalformedInput() {
        List<DynamicTest> tests = new ArrayList<>();
        malformedInputs().forEach((inputName, input) -> {
            NEVER_THROW.forEach((parserName, parser) -> tests.add(DynamicTest.dynamicTest(parserName + " / " + inputName,
                    () -> assertTimeoutPreemptively(Duration.ofSeconds(10), () -> parser.accept(input)))));
            MAY_THROW_UNREADABLE.forEach((parserName, parser) -> tests.add(DynamicTest.dynamicTest(
                    parserName + " / " + inputName, () -> assertTimeoutPreemptively(Duration.ofSeconds(10),
                            onlyUnreadable(() -> parser.accept(input))))));
        });
        return tests.stream();
    }

    private static Executable onlyUnreadable(Executable e) {
        return () -> {
            try {
                e.execute();
            } catch (UnreadableSectionException expected) {
                assertFalse(expected.getMessage() == null || expected.getMessage().isBlank(), "says why");
            } catch (Throwable t) {
                fail("threw " + t, t);
            }
        };
    }

    // ---- Numbers ----

    @Test
    void numbers() {
        assertNull(Numbers.parseLongOrNull("99999999999999999999999"));
        assertNull(Numbers.parseLongOrNull("9223372036854775808"));
        assertEquals(Long.MAX_VALUE, Numbers.parseLongOrNull("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, Numbers.parseLongOrNull("-9223372036854775808"));
        assertEquals(-1L, Numbers.parseLongOrNull("-1"));
        assertEquals(42L, Numbers.parseLongOrNull(" 42\r\n"));
        assertNull(Numbers.parseLongOrNull("4 2"));
        assertNull(Numbers.parseLongOrNull("max"));
        assertNull(Numbers.parseLongOrNull(""));
        assertNull(Numbers.parseLongOrNull(null));
        assertNull(Numbers.parseLongOrNull("0x10"));
    }

    // ---- MemInfoParser ----

    @Test
    void memInfoCrlfAndPadding() {
        MemInfo m = MemInfoParser.parse("MemTotal:       16318480 kB\r\nMemFree:         1873204 kB\r\n"
                + "MemAvailable:    9004112 kB\r\nHugePages_Total:       0\r\n");
        assertEquals(16318480L * 1024, m.memTotalBytes());
        assertEquals(9004112L * 1024, m.memAvailableBytes());
        assertEquals(0L, m.fieldsBytes().get("HugePages_Total"));
    }

    @Test
    void memInfoRejectsHugeNegativeAndOverflowingTotals() {
        for (String total : List.of("99999999999999999999999 kB", "-5 kB", "9007199254740992 kB", "x kB", "")) {
            UnreadableSectionException e = assertThrows(UnreadableSectionException.class,
                    () -> MemInfoParser.parse("MemTotal: " + total + "\nMemAvailable: 1 kB\n"), total);
            assertTrue(e.getMessage().contains("MemTotal"), e.getMessage());
        }
        // the largest KiB count that fits a long in bytes
        assertEquals(9007199254740991L * 1024,
                MemInfoParser.parse("MemTotal: 9007199254740991 kB\nMemAvailable: 1 kB\n").memTotalBytes());
        UnreadableSectionException e = assertThrows(UnreadableSectionException.class,
                () -> MemInfoParser.parse("MemTotal: 1 kB\n"));
        assertTrue(e.getMessage().contains("MemAvailable"), e.getMessage());
    }

    @Test
    void memTotalFragment() {
        assertEquals(16318480L * 1024, MemInfoParser.memTotalOrNull("MemTotal:       16318480 kB;MemAvailable:    9000000 kB;"));
        assertNull(MemInfoParser.memTotalOrNull("MemTotal: 99999999999999999 kB;"));
        assertNull(MemInfoParser.memTotalOrNull("MemTotal:"));
        assertNull(MemInfoParser.memTotalOrNull("MemTotal: -1 kB"));
        assertEquals(5L, MemInfoParser.memTotalOrNull("MemTotal: 5"));
    }

    // ---- CpuListParser, ProcLimitsParser ----

    @Test
    void cpuLists() {
        assertEquals(7, CpuListParser.count("0-3,8,10-11"));
        assertEquals(4, CpuListParser.count("0-3\r\n"));
        assertEquals(1, CpuListParser.count("5"));
        assertEquals(65537, CpuListParser.count("0-65536"));
        for (String bad : List.of("", " ", "garbage", "3-1", "-1", "0-", "0-1-2", "0--1", "0-99999999999999999999999",
                "0-4294967295", "1,,2", "a-b")) {
            assertNull(CpuListParser.count(bad), bad);
        }
        assertNull(CpuListParser.count(null));
    }

    @Test
    void rssLimits() {
        String unlimited = "Max resident set          unlimited            unlimited            bytes     ";
        assertNull(ProcLimitsParser.hardRssLimit(unlimited));
        assertNull(ProcLimitsParser.hardRssLimit(unlimited.replace(" ", "\t") + "\r\n"));
        assertEquals(2097152L, ProcLimitsParser.hardRssLimit(
                "Max cpu time              unlimited            unlimited            seconds   \n"
                        + "Max resident set          1048576              2097152              bytes     \r\n"));
        assertNull(ProcLimitsParser.hardRssLimit("Max resident set          1 99999999999999999999999 bytes"));
        assertNull(ProcLimitsParser.hardRssLimit("Max resident set"));
        assertNull(ProcLimitsParser.hardRssLimit(""));
    }

    // ---- KernelOomParser ----

    @Test
    void oomLinesWithoutUsableNumbers() {
        List<OomEvent> events = KernelOomParser.parse(
                "Out of memory: Killed process 99999999999999999999 (big) total-vm:1kB\n"
                        + "Out of memory: Killed process 2147483648 (overflow) total-vm:1kB\n"
                        + "Out of memory: Killed process 12 (ok) total-vm:1kB\r\n"
                        + "Killed process x (y)\nKilled process 3 (unterminated\n");
        assertEquals(3, events.size());
        assertNull(events.get(0).pid());
        assertEquals("big", events.get(0).processName());
        assertNull(events.get(1).pid());
        assertEquals(12, events.get(2).pid());
        assertEquals("ok", events.get(2).processName());
        assertTrue(KernelOomParser.parse("").isEmpty());
        assertTrue(KernelOomParser.parse("oom_reaper: reaped process 4242 (python3), now anon-rss:0kB").isEmpty());
    }

    /** A kernel log record is at most about 1 KB; a full-length summary line must parse quickly. */
    @Test
    void kernelLengthLinesParseQuickly() {
        String line = "oom-kill:" + "oom_memcg=a,task_memcg=b,task=c ".repeat(31);
        assertTrue(line.length() > 1000);
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> KernelOomParser.parse(line + "\n" + line));
    }

    /**
     * BUG (main code, KernelOomParser.SUMMARY {@code oom-kill:.*?oom_memcg=(...).*?task_memcg=(...).*?task=(...),pid=}):
     * three lazy {@code .*?} around repeated keys backtrack cubically on a line that has no {@code ,pid=N};
     * measured ~0.3 s for 3.2 KB, ~2.4 s for 6.4 KB, ~19 s for 12.8 KB and ~220 s for 25.6 KB. A remote host
     * (whose output the parser must survive) can hang the scan with one line of a 256 KiB kernel-oom section.
     */
    @Test
    void hostileLongSummaryLineDoesNotHang() {
        String line = "oom-kill:" + "oom_memcg=a,task_memcg=b,task=c ".repeat(2000);
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> KernelOomParser.parse(line));
    }

    // ---- DockerInspectParser ----

    @Test
    void inspectGarbageLinesAreReportedNotThrown() {
        DockerInspectParser.Result r = DockerInspectParser.parse(
                "not json\n{\"Id\":\"xyz\"}\n[1,2]\n\u0000\u0001\nnull\n{\"Id\":\"" + ID.toUpperCase() + "\"}\n"
                        + "{\"Id\":\"" + ID + "\",\"Id\":\"" + "b".repeat(64) + "\"}\n"
                        + "[".repeat(100) + "\n"
                        + "{\"Id\":\"" + ID + "\",\"Memory\":" + "9".repeat(50) + "}\n", Map.of());
        assertTrue(r.containers().isEmpty(), r.containers().toString());
        assertEquals(9, r.unreadable().size(), r.unreadable().toString());
        // xyz, [1,2], null and an upper-case id
        assertEquals(4, r.unreadable().stream().filter(s -> s.equals("container line without a valid Id")).count(),
                r.unreadable().toString());
        assertTrue(r.unreadable().stream().allMatch(s -> !s.contains("\n")), "one line per reason");
    }

    @Test
    void inspectOddValues() {
        String line = "{\"Id\":\"" + ID + "\",\"Name\":\"/x\",\"Pid\":-5,\"Memory\":99999999999999999999999,"
                + "\"MemoryReservation\":-1,\"MemorySwap\":-1,\"OOMKilled\":null,\"Args\":{\"a\":1},"
                + "\"ComposeConfigFiles\":\" a.yml , ,b.yml,\"}\r\n";
        ContainerFacts c = DockerInspectParser.parse(line, Map.of()).containers().get(0);
        assertEquals("x", c.name());
        assertNull(c.memoryLimitBytes(), "beyond a long: no limit rather than a wrong one");
        assertNull(c.memoryReservationBytes());
        assertEquals(-1L, c.memorySwapBytes(), "-1 = unlimited swap, kept");
        assertFalse(c.oomKilledFlag());
        assertEquals(List.of("a.yml", "b.yml"), c.composeFiles());
        assertEquals(ID.substring(0, 12), DockerInspectParser.parse("{\"Id\":\"" + ID + "\"}", Map.of())
                .containers().get(0).name(), "no Name: the short id");
    }

    @Test
    void envLines() {
        Map<String, Map<String, String>> env = DockerInspectParser.parseEnv(ID + " DASK_A=1\n" + ID + " B=x=y\n"
                + "noSpace=1\n" + ID + " =v\n" + ID + " NOEQ\n \n" + ID + " EMPTY=\n");
        assertEquals(Map.of(ID, Map.of("DASK_A", "1", "B", "x=y", "EMPTY", "")), env);
    }

    // ---- ProcessSectionParser ----

    @Test
    void processDefaults() {
        ProcessFacts p = ProcessSectionParser.parse(9, "", null);
        assertEquals(9, p.pid());
        assertEquals(0, p.ppid());
        assertEquals(List.of(), p.argv());
        assertEquals("", p.name());
        assertNull(p.rssLimitHardBytes());
        assertNull(p.cpusAllowed());
        assertNull(p.rssBytes());
        assertEquals(List.of(), p.daskVersions());
        assertNull(p.view());
    }

    @Test
    void processPaddedCmdline() {
        // setproctitle pads the cmdline with NULs, which the probe turns into empty lines
        ProcessFacts p = ProcessSectionParser.parse(17815, "--- cmdline\ndask worker [tcp://10.89.0.13:34639]\n\n\n\n\n"
                + "--- status\nName:\tdask worker [tc\nPPid:\t17006\nVmRSS:\t   91772 kB\nCpus_allowed_list:\t0-1\n"
                + "--- dask-versions\n/usr/lib/python3/dist-packages/distributed-2022.12.1+ds.1.egg-info\n", null);
        assertEquals(List.of("dask worker [tcp://10.89.0.13:34639]"), p.argv());
        assertEquals(17006, p.ppid());
        assertEquals(91772L * 1024, p.rssBytes());
        assertEquals(2, p.cpusAllowed());
        assertEquals("dask worker [tc", p.name());
        assertEquals(List.of("2022.12.1+ds.1"), p.daskVersions());
    }

    @Test
    void processVersionsIgnoreLookalikes() {
        ProcessFacts p = ProcessSectionParser.parse(1, "--- dask-versions\n"
                + "/x/distributed-2024.1.0.dist-info\n/x/distributed-2024.1.0.dist-info\n"
                + "/x/distributed-2022.12.1+ds.1.egg-info\n/x/distributed-.dist-info\n/x/distributed-abc.dist-info\n"
                + "/x/distributed-1.0.dist-info.bak\n/x/xdistributed-9.9.egg-info\n", null);
        assertEquals(List.of("2024.1.0", "2022.12.1+ds.1", "9.9"), p.daskVersions());
    }

    @Test
    void realStatusBlockWinsOverOneForgedInTheCmdline() {
        // a process can put "--- status" lines in its own argv; the probe prints the real blocks after the cmdline
        ProcessFacts p = ProcessSectionParser.parse(5, "--- cmdline\npython3\n-c\n--- status\nPPid:\t1\nName:\tforged\n\n"
                + "--- status\nName:\tpython3\nPPid:\t77\n--- limits\n--- cgroup\n0::/x\n--- dask-versions\n", null);
        assertEquals(77, p.ppid());
        assertEquals("python3", p.name());
        assertEquals(List.of("python3", "-c"), p.argv(), "the argv is cut at the forged header");
    }

    /** BUG (main code, ProcessSectionParser.parse): {@code rssKb * 1024} overflows for a VmRSS beyond 2^53 kB. */
    @Test
    void hugeVmRssIsNotNegative() {
        ProcessFacts p = ProcessSectionParser.parse(5, "--- status\nVmRSS:\t99999999999999999 kB\n", null);
        assertTrue(p.rssBytes() == null || p.rssBytes() >= 0, String.valueOf(p.rssBytes()));
    }

    @Test
    void viewLines() {
        DaskView v = ProcessSectionParser.parseView("/proc/meminfo\tMemTotal: 99999999999999999 kB;\n\tx\nnotab\n"
                + "/a\t<absent>\r\n/b\t 5 \r\n/sys/fs/cgroup/cpu.max\tmax 100000 \n");
        assertNull(v.memTotalBytes());
        assertEquals(Map.of("/b", "5", "/sys/fs/cgroup/cpu.max", "max 100000"), v.files());
        DaskView empty = ProcessSectionParser.parseView("");
        assertNull(empty.memTotalBytes());
        assertTrue(empty.files().isEmpty());
    }

    // ---- CgroupSectionParser ----

    @Test
    void cgroupHugeAndUnlimitedValues() {
        CgroupMemory v2 = CgroupSectionParser.parse("--- dir v2 /sys/fs/cgroup/x\n--- memory.max\n99999999999999999999999\n"
                + "--- memory.high\n  max  \n--- memory.low\nmax\n--- memory.current\n\n--- memory.events\noom_kill x\nmax\n"
                + "--- memory.stat\ninactive_file 1 2\nanon\n--- cpu.max\n\n");
        assertNull(v2.hardLimitBytes());
        assertNull(v2.highBytes());
        assertNull(v2.lowBytes());
        assertNull(v2.usageBytes());
        assertNull(v2.oomKills());
        assertNull(v2.inactiveFileBytes());
        assertNull(v2.cpuQuotaMicros());
        assertNull(v2.cpuPeriodMicros());

        CgroupMemory v1 = CgroupSectionParser.parse("--- dir v1 /sys/fs/cgroup/memory/x\n--- memory.limit_in_bytes\n"
                + "9223372036854771712\n--- memory.soft_limit_in_bytes\n-1\n--- memory.usage_in_bytes\n"
                + "99999999999999999999999\n--- cpu.cfs_quota_us\n-1\n");
        assertEquals(1, v1.version());
        assertNull(v1.hardLimitBytes(), "PAGE_COUNTER_MAX pages = unlimited");
        assertNull(v1.softLimitBytes());
        assertNull(v1.usageBytes());
        assertNull(v1.cpuQuotaMicros(), "-1 = no quota");
    }

    @Test
    void cgroupGarbageIsUnreadable() {
        for (String bad : List.of("", "garbage", "--- memory.max\n1\n", "--- dir\n", "--- dir v9 /x\n")) {
            assertThrows(UnreadableSectionException.class, () -> CgroupSectionParser.parse(bad), bad);
        }
    }

    // ---- ComposeSectionParser, KeyValueParser, DotEnvParser ----

    @Test
    void composeSection() {
        String sha = "857a5f0ebbaac1162ce5d91dd14655ad661f6d64a2c4928b73cfe490b4276096";
        ComposeFile f = ComposeSectionParser.parse("/c.yml", sha + "\r\nservices: {}\r\n", true);
        assertEquals(sha, f.sha256());
        assertEquals("services: {}\r\n", f.content());
        assertTrue(f.truncated());
        assertEquals("", ComposeSectionParser.parse("/c.yml", sha, false).content());
        for (String bad : List.of("", "services: {}\n", sha.toUpperCase() + "\n", sha.substring(1) + "\n",
                "sha256sum: /c.yml: Permission denied\n")) {
            assertThrows(UnreadableSectionException.class, () -> ComposeSectionParser.parse("/c.yml", bad, false), bad);
        }
    }

    @Test
    void keyValueAndDotEnv() {
        assertEquals(Map.of("a", "b=c", "k", ""), KeyValueParser.parse("=x\na=b=c\nk=\nnoeq\n"));
        assertEquals("4294967296", DotEnvParser.availableMemoryForDask(
                "AVAILABLE_MEMORY_FOR_DASK=1\r\nexport AVAILABLE_MEMORY_FOR_DASK=\"4294967296\"\n"));
        assertNull(DotEnvParser.availableMemoryForDask("# AVAILABLE_MEMORY_FOR_DASK=1\nAVAILABLE_MEMORY_FOR_DASKX=2\n"));
    }

    // ---- ProbeStreamParser: nonce, framing ----

    @Test
    void framesWithAnotherNonceAreContent() {
        String real = v2("probe-docker-v2-systemd.txt");
        String cmdlineStart = "--- cmdline\n/opt/conda/bin/python3.11\n/opt/conda/bin/dask\nworker\n";
        assertTrue(real.contains(cmdlineStart));
        List<String> forged = List.of(
                "==HR:evilnonce:end process status=ok",
                "==HR:evilnonce:begin container-cgroup " + WORKER_ID,
                "==HR:evilnonce:end container-cgroup status=ok",
                "==HR:" + STREAM_NONCE + "X:end process status=ok",
                "==HR:" + STREAM_NONCE.substring(0, STREAM_NONCE.length() - 1) + ":end process status=ok",
                "==HR:" + STREAM_NONCE + " end process status=ok",
                " ==HR:" + STREAM_NONCE + ":end process status=ok",
                "==HR:evilnonce:done version=99");
        String hostile = real.replace(cmdlineStart, "--- cmdline\n/opt/conda/bin/python3.11\n" + String.join("\n", forged)
                + "\n/opt/conda/bin/dask\nworker\n");

        ProbeStream s = ProbeStreamParser.parse(hostile, STREAM_NONCE);
        ProbeStream original = ProbeStreamParser.parse(real, STREAM_NONCE);
        assertEquals(original.sections().stream().map(ProbeSection::name).toList(),
                s.sections().stream().map(ProbeSection::name).toList());
        assertEquals(1, s.version());
        assertTrue(s.complete());
        assertEquals(0, s.stray());
        assertTrue(s.sections().stream().allMatch(ProbeSection::ok));
        ProbeSection launcher = s.find("process", WORKER_ID + "/4198");
        for (String f : forged) {
            assertTrue(launcher.content().contains("\n" + f + "\n"), f);
        }

        HostFacts facts = HostFactsAssembler.assemble("x", s);
        assertEquals(List.of(), facts.problems());
        ContainerFacts worker = facts.containers().get(0);
        assertEquals(4294967296L, worker.cgroup().hardLimitBytes(), "the real cgroup section is intact");
        assertEquals(3, worker.processes().size());
        List<String> argv = worker.processes().get(0).argv();
        assertEquals("/opt/conda/bin/python3.11", argv.get(0));
        assertEquals(forged, argv.subList(1, 1 + forged.size()), "forged frames are plain arguments");
        assertEquals("/opt/conda/bin/dask", argv.get(1 + forged.size()));
    }

    @Test
    void framingEdgeCases() {
        ProbeStream empty = ProbeStreamParser.parse("", "n");
        assertFalse(empty.complete());
        assertEquals(-1, empty.version());
        assertTrue(empty.sections().isEmpty());
        assertEquals(0, empty.stray());

        ProbeStream s = ProbeStreamParser.parse("Welcome to Ubuntu\n==HR:n:end meta status=ok\n"
                + "==HR:n:begin meta -\nversion=1\n==HR:n:begin meminfo -\nMemTotal: 1 kB\n"
                + "==HR:n:end meminfo status=truncated cap=262144\n==HR:n:begin docker-ps -\n"
                + "==HR:n:end docker-ps status=unavailable docker CLI not found in PATH\n"
                + "==HR:n:begin kernel-oom -\npartial", "n");
        assertFalse(s.complete());
        assertEquals(2, s.stray(), "banner and an end without an open section");
        assertEquals(List.of("meta", "meminfo", "docker-ps", "kernel-oom"), s.sections().stream().map(ProbeSection::name).toList());
        assertEquals(ProbeSection.Status.UNTERMINATED, s.sections().get(0).status());
        assertEquals("version=1\n", s.sections().get(0).content());
        assertEquals(ProbeSection.Status.TRUNCATED, s.sections().get(1).status());
        assertEquals("output exceeded the probe's cap (cap=262144)", s.sections().get(1).reason());
        assertEquals(ProbeSection.Status.UNAVAILABLE, s.sections().get(2).status());
        assertEquals("docker CLI not found in PATH", s.sections().get(2).reason());
        assertEquals(ProbeSection.Status.UNTERMINATED, s.sections().get(3).status());
        assertEquals("partial", s.sections().get(3).content());

        ProbeStream v = ProbeStreamParser.parse("==HR:n:done version=99999999999999999999\n", "n");
        assertTrue(v.complete());
        assertEquals(-1, v.version());
    }

    /**
     * BUG (main code, ProbeStreamParser.parse and BlockSplitter.split): with CRLF line ends (a remote shell or
     * transport that converts newlines) the end frame's status word is {@code status=ok\r}, which is not
     * recognised, so every section becomes UNAVAILABLE with an empty reason; the subject keeps a trailing
     * {@code \r}, and BlockSplitter headers ({@code memory.max\r}) no longer match, so all cgroup values are null.
     */
    @Test
    void crlfStreamIsReadLikeLf() {
        String crlf = v2("probe-docker-v2-systemd.txt").replace("\n", "\r\n");
        ProbeStream s = ProbeStreamParser.parse(crlf, STREAM_NONCE);
        assertTrue(s.sections().stream().allMatch(ProbeSection::ok));
        assertEquals("-", s.first("meta").subject());
        HostFacts facts = HostFactsAssembler.assemble("x", s);
        assertEquals(List.of(), facts.problems());
        assertEquals(4294967296L, facts.containers().get(0).cgroup().hardLimitBytes());
        assertEquals(4171, ProcessSectionParser.parse(1, "--- status\r\nPPid:\t4171\r\n", null).ppid());
    }

    // ---- HostFactsAssembler on broken streams ----

    @Test
    void assemblerOnEmptyStream() {
        HostFacts f = HostFactsAssembler.assemble("t", ProbeStreamParser.parse("", "n"));
        assertEquals(List.of(new SectionProblem("probe", "-", SectionProblem.Kind.TRUNCATED,
                "it ended before its last line (the connection dropped, or the probe was stopped)")), f.problems());
        assertEquals(-1, f.probeVersion());
        assertEquals(0L, f.epochSeconds());
        assertEquals("", f.hostname());
        assertEquals(CgroupMode.UNKNOWN, f.cgroupMode());
        assertNull(f.memInfo());
        assertTrue(f.containers().isEmpty());
        assertFalse(f.dockerAvailable());
    }

    @Test
    void assemblerReportsEachBrokenSection() {
        String stream = "==HR:n:begin meta -\nversion=1\ncpus=two\nepoch=-\n==HR:n:end meta status=ok\n"
                + "==HR:n:begin meminfo -\ngarbage\n==HR:n:end meminfo status=ok\n"
                + "==HR:n:begin kernel-oom -\n==HR:n:end kernel-oom status=unavailable kernel log not readable\n"
                + "==HR:n:begin docker-ps -\n" + ID + "\n==HR:n:end docker-ps status=ok\n"
                + "==HR:n:begin docker-inspect -\n{\"Id\":\"" + ID + "\",\"Pid\":7}\n{oops\n==HR:n:end docker-inspect status=ok\n"
                + "==HR:n:begin container-cgroup " + ID + "\n\u0000\u0001binary\n==HR:n:end container-cgroup status=ok\n"
                + "==HR:n:begin process " + ID + "/7\n\u0000\u00ff\n==HR:n:end process status=ok\n"
                + "==HR:n:begin process " + ID + "/0\n--- cmdline\nx\n==HR:n:end process status=ok\n"
                + "==HR:n:begin process " + ID + "/notapid\n--- cmdline\nx\n==HR:n:end process status=ok\n"
                + "==HR:n:begin compose-file /srv/c.yml\nnot a sha\n==HR:n:end compose-file status=ok\n"
                + "==HR:n:done version=1\n";
        HostFacts f = HostFactsAssembler.assemble("t", ProbeStreamParser.parse(stream, "n"));
        assertEquals(0, f.cpuCount());
        assertEquals(0L, f.epochSeconds());
        assertNull(f.memInfo());
        assertTrue(f.dockerAvailable());
        assertEquals(List.of(
                        new SectionProblem("meminfo", "-", SectionProblem.Kind.UNREADABLE, "no MemTotal line in /proc/meminfo"),
                        new SectionProblem("kernel-oom", "-", SectionProblem.Kind.UNAVAILABLE, "kernel log not readable"),
                        new SectionProblem("container-cgroup", ID, SectionProblem.Kind.UNREADABLE,
                                "no cgroup directory in the section")),
                f.problems().stream().filter(p -> !p.section().equals("docker-inspect") && !p.section().equals("compose-file"))
                        .toList());
        assertEquals(1, f.problems().stream().filter(p -> p.section().equals("docker-inspect")
                && p.kind() == SectionProblem.Kind.UNREADABLE && p.reason().startsWith("unreadable container JSON")).count());
        assertEquals(1, f.problems().stream().filter(p -> p.section().equals("compose-file")
                && p.subject().equals("/srv/c.yml") && p.kind() == SectionProblem.Kind.UNREADABLE).count());
        assertEquals(5, f.problems().size());
        ContainerFacts c = f.containers().get(0);
        assertNull(c.cgroup());
        assertEquals(List.of(7), c.processes().stream().map(ProcessFacts::pid).toList(), "pid 0 and non-numbers ignored");
        assertTrue(f.oomEvents().isEmpty());
    }
}
