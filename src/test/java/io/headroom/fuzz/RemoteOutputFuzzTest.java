package io.headroom.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.headroom.analysis.Analyzer;
import io.headroom.analysis.DockerByteSize;
import io.headroom.analysis.dask.DaskByteSize;
import io.headroom.analysis.dask.DaskConfigEnv;
import io.headroom.analysis.dask.DaskVersion;
import io.headroom.analysis.dask.MemoryLimitParser;
import io.headroom.analysis.dask.WorkerCommandLine;
import io.headroom.compose.ComposeEditor;
import io.headroom.compose.EditRequest;
import io.headroom.compose.EditResult;
import io.headroom.compose.MemoryValue;
import io.headroom.engine.Redactor;
import io.headroom.engine.ReportJson;
import io.headroom.engine.fix.MaskedEdit;
import io.headroom.engine.inventory.SchedulerDiscovery;
import io.headroom.model.HostFacts;
import io.headroom.model.HostReport;
import io.headroom.model.Masked;
import io.headroom.model.ScanReport;
import io.headroom.model.SectionProblem;
import io.headroom.probe.HostFactsAssembler;
import io.headroom.probe.parse.CgroupSectionParser;
import io.headroom.probe.parse.CpuListParser;
import io.headroom.probe.parse.DockerInspectParser;
import io.headroom.probe.parse.DotEnvParser;
import io.headroom.probe.parse.KernelOomParser;
import io.headroom.probe.parse.KeyValueParser;
import io.headroom.probe.parse.MemInfoParser;
import io.headroom.probe.parse.MountInfoParser;
import io.headroom.probe.parse.ProbeStream;
import io.headroom.probe.parse.ProbeStreamParser;
import io.headroom.probe.parse.ProcLimitsParser;
import io.headroom.probe.parse.ProcessSectionParser;
import io.headroom.probe.parse.UnreadableSectionException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Coverage-guided fuzzing (Jazzer) of every parser of remote output, with the contract each one documents:
 * malformed input is a value ({@code null}, an "unreadable" list entry, a {@link EditResult.Refused}) or the one
 * documented exception ({@link UnreadableSectionException}, which the assembler turns into a per-section
 * "unreadable: reason"); anything else escaping is a finding. See docs/security.md, "Fuzzing".
 *
 * <p>Plain {@code mvn test} runs each target in regression mode: its seeds (real fixtures, copied by
 * {@code src/test/fuzz/seed-corpus}) and every crash input kept under
 * {@code src/test/resources/io/headroom/fuzz/RemoteOutputFuzzTestInputs/<target>/}. Fuzzing:
 * {@code src/test/fuzz/run} (one target per JVM, as Jazzer requires).
 */
class RemoteOutputFuzzTest {
    /** The nonce of the lab fixtures (src/test/resources/fixtures/lab), so their frames open sections. */
    static final String NONCE = "fixturenonce0001";

    static String text(byte[] data) {
        return new String(data, StandardCharsets.UTF_8);
    }

    @FuzzTest(maxDuration = "2h")
    void meminfo(byte[] data) {
        String s = text(data);
        try {
            var m = MemInfoParser.parse(s);
            check(m.memTotalBytes() >= 0 && m.memAvailableBytes() >= 0, "negative meminfo value");
        } catch (UnreadableSectionException expected) {
            checkReason(expected);
        }
        Long total = MemInfoParser.memTotalOrNull(s);
        check(total == null || total >= 0, "negative MemTotal");
    }

    @FuzzTest(maxDuration = "2h")
    void cgroup(byte[] data) {
        String s = text(data);
        try {
            CgroupSectionParser.parse(s);
        } catch (UnreadableSectionException expected) {
            checkReason(expected);
        }
        CgroupSectionParser.statMap(s);
        Integer cpus = CpuListParser.count(s);
        check(cpus == null || cpus > 0, "CPU count " + cpus);
        MountInfoParser.cgroupMode(s);
    }

    @FuzzTest(maxDuration = "2h")
    void dockerInspect(byte[] data) {
        String s = text(data);
        var env = DockerInspectParser.parseEnv(s);
        DockerInspectParser.Result r = DockerInspectParser.parse(s, env);
        r.containers().forEach(c -> check(c.pid() >= 0, "negative pid"));
    }

    @FuzzTest(maxDuration = "2h")
    void cmdline(byte[] data) {
        String s = text(data);
        List<String> argv = Arrays.asList(s.split("[\u0000\n]", -1));
        WorkerCommandLine.parse(argv);
        WorkerCommandLine.fromContainerCommand(argv);
        WorkerCommandLine.isWorkerTitle(argv);
        WorkerCommandLine.isMultiprocessingChild(argv);
        ProcessSectionParser.parse(1, s, null);
        ProcessSectionParser.parseView(s);
        for (String arg : argv.subList(0, Math.min(argv.size(), 8))) {
            MemoryLimitParser.parse(arg, 2, 4, 8L << 30);
            DaskByteSize.parse(arg);
            DockerByteSize.parse(arg);
            DaskVersion.parse(arg);
        }
    }

    @FuzzTest(maxDuration = "2h")
    void procLimits(byte[] data) {
        String s = text(data);
        ProcLimitsParser.hardRssLimit(s);
        ProcessSectionParser.parse(1, "--- limits\n" + s, null);
    }

    @FuzzTest(maxDuration = "2h")
    void kernelLog(byte[] data) {
        KernelOomParser.parse(text(data)).forEach(e -> check(e.line() != null, "OOM event without its line"));
    }

    @FuzzTest(maxDuration = "2h")
    void composeYaml(byte[] data) {
        EditResult r = ComposeEditor.edit(EditRequest.of("/srv/app/docker-compose.yml", text(data),
                Set.of("worker"), new MemoryValue.Literal(2L << 30)));
        check(r != null, "no edit result");
        if (r instanceof EditResult.Refused refused) {
            check(refused.reason() != null && !refused.reason().isBlank(), "a refusal without a reason");
        }
    }

    @FuzzTest(maxDuration = "2h")
    void dotEnv(byte[] data) {
        String s = text(data);
        String v = DotEnvParser.availableMemoryForDask(s);
        if (v != null) {
            DockerByteSize.parse(v);
        }
        Map<String, String> kv = KeyValueParser.parse(s);
        DaskConfigEnv.thresholds(kv, null);
    }

    @FuzzTest(maxDuration = "2h")
    void identityJson(byte[] data) {
        try {
            SchedulerDiscovery.parse("http://scheduler:8787", text(data));
        } catch (IOException expected) {
            // the documented outcome for JSON that is not a scheduler identity
        }
    }

    /**
     * The parsers of the probe's output alone (issue 17 item 5: "every parser of remote output"): the framed stream
     * → sections → every section parser → the host's facts, each unreadable section with its reason. About 10×
     * cheaper per input than {@link #probeStream}, which adds the analysis, the JSON and the redaction.
     */
    @FuzzTest(maxDuration = "2h")
    void probeStreamParser(byte[] data) {
        ProbeStream stream = ProbeStreamParser.parse(text(data), NONCE);
        HostFacts facts = HostFactsAssembler.assemble("vm-1.example", stream);
        for (SectionProblem p : facts.problems()) {
            check(p.reason() != null && !p.reason().isBlank(), "a section problem without a reason: " + p);
        }
    }

    /** The whole path of a scan: probe stream → sections → facts → analysis → JSON and redacted JSON. */
    @FuzzTest(maxDuration = "2h")
    void probeStream(byte[] data) throws IOException {
        ProbeStream stream = ProbeStreamParser.parse(text(data), NONCE);
        HostFacts facts = HostFactsAssembler.assemble("vm-1.example", stream);
        for (SectionProblem p : facts.problems()) {
            check(p.reason() != null && !p.reason().isBlank(), "a section problem without a reason: " + p);
        }
        HostReport host = new Analyzer(null).analyze(facts, 0);
        ScanReport report = new ScanReport("fuzz", 0, List.of(host));
        ReportJson.toNode(report);
        Redactor.redact(report);
    }

    /**
     * The push's re-application of an edit made on masked text to the real file (decision 0019): the
     * input is the real file; the first byte picks which lines the "probe" masked (the value after the
     * first ": "); the compose editor edits that masked text; {@link MaskedEdit#apply} must return or
     * refuse ({@link MaskedEdit.Refused}), and what it returns must be the editor's text line for line,
     * except that each line holding the marker there is the real line.
     */
    @FuzzTest(maxDuration = "2h")
    void maskedEdit(byte[] data) {
        if (data.length == 0) {
            return;
        }
        int bits = data[0] & 0xff;
        String real = text(Arrays.copyOfRange(data, 1, data.length));
        String[] lines = real.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int colon = lines[i].indexOf(": ");
            if (((bits >> (i % 8)) & 1) == 1 && colon >= 0 && !lines[i].contains("mem")) {
                lines[i] = lines[i].substring(0, colon + 2) + Masked.MARKER;
            }
        }
        String before = String.join("\n", lines);
        EditResult r = ComposeEditor.edit(EditRequest.of("/srv/app/docker-compose.yml", before, Set.of("worker"),
                new MemoryValue.Literal(2L << 30)));
        if (!(r instanceof EditResult.Edited edited) || edited.changedFiles().isEmpty()) {
            return;
        }
        String after = edited.changedFiles().get(0).after();
        String result;
        try {
            result = MaskedEdit.apply(real, before, after);
        } catch (MaskedEdit.Refused refused) {
            check(refused.getMessage() != null && !refused.getMessage().isBlank(), "a refusal without a reason");
            return;
        }
        // lines as the probe and the push see them: split on '\n' only (a lone '\r' is part of a line)
        List<String> got = List.of(result.split("\n", -1));
        List<String> want = List.of(after.split("\n", -1));
        check(got.size() == want.size(), "the re-applied edit has " + got.size() + " lines, the edit " + want.size());
        for (int i = 0; i < got.size(); i++) {
            check(got.get(i).equals(want.get(i)) || Masked.in(want.get(i)), "line " + (i + 1) + " differs from the edit");
        }
        check(!Masked.in(result) || Masked.in(real), "the marker written to the VM");
    }

    /** All targets in one (Jazzer fuzzes one test per JVM): the first byte picks the parser. For CI's bounded run. */
    @FuzzTest(maxDuration = "60s")
    void allParsers(byte[] data) throws IOException {
        if (data.length == 0) {
            return;
        }
        byte[] rest = Arrays.copyOfRange(data, 1, data.length);
        switch (Math.floorMod(data[0], 11)) {
            case 0 -> meminfo(rest);
            case 1 -> cgroup(rest);
            case 2 -> dockerInspect(rest);
            case 3 -> cmdline(rest);
            case 4 -> procLimits(rest);
            case 5 -> kernelLog(rest);
            case 6 -> composeYaml(rest);
            case 7 -> dotEnv(rest);
            case 8 -> identityJson(rest);
            case 9 -> probeStream(rest);
            default -> maskedEdit(rest);
        }
    }

    private static void checkReason(UnreadableSectionException e) {
        check(e.getMessage() != null && !e.getMessage().isBlank(), "unreadable without a reason");
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what);
        }
    }
}
