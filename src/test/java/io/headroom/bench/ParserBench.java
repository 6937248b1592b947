package io.headroom.bench;

import io.headroom.analysis.Analyzer;
import io.headroom.model.HostFacts;
import io.headroom.model.HostReport;
import io.headroom.probe.HostFactsAssembler;
import io.headroom.probe.parse.ProbeStream;
import io.headroom.probe.parse.ProbeStreamParser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * JMH benchmark (not a JUnit test; run with {@code lab/bench/parsers}) of the client-side work per
 * host and refresh: parsing one real probe output of a VM with 10 Dask containers (1 scheduler + 9
 * workers, 19 Dask processes; {@code probe-10-containers.txt}, captured from the lab's hr-bench10
 * project), assembling the host's facts from it, and analysing them.
 * <ul>
 *   <li>{@code stream}: {@link ProbeStreamParser#parse} — framing only;</li>
 *   <li>{@code assemble}: stream + {@link HostFactsAssembler#assemble} — every section parser;</li>
 *   <li>{@code analyze}: all of the above + {@link Analyzer#analyze} — what a scan does per host.</li>
 * </ul>
 * Times are microseconds per operation (average).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 5)
public class ParserBench {
    /** The nonce the fixture was captured with. */
    static final String NONCE = "0123456789abcdef";
    private String text;
    private ProbeStream stream;
    private HostFacts facts;

    @Setup
    public void load() {
        text = fixture();
        stream = ProbeStreamParser.parse(text, NONCE);
        facts = HostFactsAssembler.assemble("vm", stream);
    }

    static String fixture() {
        try (InputStream in = ParserBench.class.getResourceAsStream("probe-10-containers.txt")) {
            if (in == null) {
                throw new IllegalStateException("probe-10-containers.txt is missing from the test class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Benchmark
    public ProbeStream stream() {
        return ProbeStreamParser.parse(text, NONCE);
    }

    @Benchmark
    public HostFacts assemble() {
        return HostFactsAssembler.assemble("vm", ProbeStreamParser.parse(text, NONCE));
    }

    @Benchmark
    public HostReport analyze() {
        return new Analyzer(null).analyze(HostFactsAssembler.assemble("vm", ProbeStreamParser.parse(text, NONCE)), 0);
    }

    /** The fixed inputs, for a sanity check before timing: 10 containers, 19 processes. */
    public String describe() {
        return facts.containers().size() + " containers, " + stream.sections().size() + " sections, " + text.length() + " chars";
    }
}
