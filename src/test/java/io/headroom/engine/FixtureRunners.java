package io.headroom.engine;

import io.headroom.probe.ProbeException;
import io.headroom.probe.ProbeRunner;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Probe runners that replay captured probe output (fixtures) instead of running the probe. */
public final class FixtureRunners {
    /** The nonce the captured fixtures were framed with. */
    public static final String FIXTURE_NONCE = "fixturenonce0001";

    private FixtureRunners() {
    }

    public static String fixture(String resource) {
        try (InputStream in = FixtureRunners.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replays a fixture as if the probe printed it with the caller's nonce. */
    public static ProbeRunner replay(String resource) {
        String text = fixture(resource);
        return (nonce, timeout) -> new ProbeRunner.ProbeOutput(text.replace("==HR:" + FIXTURE_NONCE + ":", "==HR:" + nonce + ":"), "", 0, false);
    }

    /** Targets mapped to fixtures; anything else fails like an unknown host. */
    public static ProbeRunners of(Map<String, String> targetToResource) {
        return target -> {
            String res = targetToResource.get(target);
            if (res == null) {
                throw new ProbeException("name not found: " + target);
            }
            return replay(res);
        };
    }
}
