package io.headroom.probe;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;

/** The probe shell script shipped as a resource, and the nonce that frames its output. */
public final class ProbeScript {
    /** Default cap per section, in bytes. */
    public static final int DEFAULT_SECTION_CAP_BYTES = 256 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String TEXT = load();

    private ProbeScript() {
    }

    /** The script text (POSIX sh). */
    public static String text() {
        return TEXT;
    }

    /** A fresh random nonce: 16 hex characters. */
    public static String newNonce() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String load() {
        return resource("headroom-probe.sh");
    }

    /** A script of this package's resources (POSIX sh). */
    static String resource(String name) {
        try (InputStream in = ProbeScript.class.getResourceAsStream("/io/headroom/probe/" + name)) {
            if (in == null) {
                throw new IllegalStateException(name + " resource missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
