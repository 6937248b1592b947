package io.headroom.probe.parse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Loads the synthetic cgroup v2 fixtures of {@code fixtures/v2} (see its SOURCES.md) and other test resources. */
final class V2Fixtures {
    /** Container ids used in the fixtures. */
    static final String SYSTEMD_ID = "e340fa4517483cf2e6101dbb12250a09b2caf133c9f16372ff381dd6cacfc51d";
    static final String CGROUPFS_ID = "3fa3f03faadff90a6be41ff8d1714b683f38329400d0c183dad5382f61b8e537";
    static final String NOLIMIT_ID = "4ab7b56c9be56d05714adbf703f09a95e5b3b6ad920971c924f31f79fc3564a0";
    static final String RESERVATION_ID = "3b995b59860afe39ea0bf74168d96cc8d4bf806df289f2400815db0fba68e9b2";
    static final String WORKER_ID = "180ec4495e8a43748156210406c94d49dae3557c34b0238c165d2f60093302e1";
    static final String SCHEDULER_ID = "b906b5fb5f7fba29bfe6777d2c38a13beb1d9178a1a62db1b65badbfa166b7d7";
    static final String STREAM_NONCE = "v2systemdnonce7f3a";

    private V2Fixtures() {
    }

    /** A file of fixtures/v2. */
    static String v2(String name) {
        String text = resourceOrNull("/fixtures/v2/" + name);
        if (text == null) {
            throw new IllegalStateException("missing test resource fixtures/v2/" + name);
        }
        return text;
    }

    /**
     * The texts of a captured file under each capture root that holds it ({@code captured/podman},
     * {@code captured/dockerd}, and the older flat {@code captured/} layout), by resource path.
     */
    static java.util.Map<String, String> captured(String relative) {
        java.util.Map<String, String> found = new java.util.LinkedHashMap<>();
        for (String root : new String[] {"/fixtures/captured/podman/", "/fixtures/captured/dockerd/", "/fixtures/captured/"}) {
            String text = resourceOrNull(root + relative);
            if (text != null) {
                found.put(root + relative, text);
            }
        }
        return found;
    }

    /** A test resource by absolute path; fails when missing. */
    static String resource(String absolutePath) {
        String text = resourceOrNull(absolutePath);
        if (text == null) {
            throw new IllegalStateException("missing test resource " + absolutePath);
        }
        return text;
    }

    /** Any test resource as UTF-8 text, or null when absent (captured fixtures may be being regenerated). */
    static String resourceOrNull(String absolutePath) {
        try (InputStream in = V2Fixtures.class.getResourceAsStream(absolutePath)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
