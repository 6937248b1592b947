package io.headroom.engine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The tool's version, from the build (filtered resource). */
public final class HeadroomVersion {
    private HeadroomVersion() {
    }

    public static String get() {
        try (InputStream in = HeadroomVersion.class.getResourceAsStream("/io/headroom/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
