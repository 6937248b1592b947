package io.headroom.ui;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Why the window cannot open, in one plain sentence with what to install or do, instead of
 * JavaFX's stack trace: before the toolkit starts (no display at all on Linux) and after it failed
 * (a display that does not answer, GTK 3 missing). The sentence always points to the command line,
 * which needs neither.
 */
public final class DesktopPreflight {
    /** Said after every reason: what works without a window. */
    static final String HEADLESS_HINT = " Without a window, use the command line: 'headroom scan' (see 'headroom --help').";

    static final String GTK_PACKAGES = "install GTK 3 (Debian 13 and Ubuntu 24.04: apt-get install libgtk-3-0t64;"
            + " Debian 12 and Ubuntu 22.04: apt-get install libgtk-3-0; RHEL and Fedora: dnf install gtk3)";

    private DesktopPreflight() {
    }

    /**
     * The reason the window cannot open before trying, or empty when it may.
     *
     * @param osName     the {@code os.name} property
     * @param env        the environment
     * @param properties the JVM's system properties that choose another toolkit ({@code glass.platform})
     */
    public static Optional<String> before(String osName, Map<String, String> env, Map<String, String> properties) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.contains("win") || os.contains("mac") || properties.get("glass.platform") != null) {
            return Optional.empty();
        }
        if (blank(env.get("DISPLAY")) && blank(env.get("WAYLAND_DISPLAY"))) {
            return Optional.of("cannot open the window: there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set, as on a"
                    + " server, in a container or in an SSH session without -X)." + HEADLESS_HINT);
        }
        return Optional.empty();
    }

    /**
     * The reason in a user's words for the toolkit's failure to start.
     *
     * @param failure      what {@code Application.launch} threw
     * @param env          the environment (for the display's name)
     * @param gtkInstalled whether GTK 3's library can be found (see {@link #gtkInstalled()})
     */
    public static String after(Throwable failure, Map<String, String> env, boolean gtkInstalled) {
        String message = String.valueOf(failure.getMessage());
        if (message.contains("Unable to open DISPLAY")) {
            return "cannot open the window: the display " + display(env) + " does not answer (is its X server running, and may"
                    + " this user draw on it? Check XAUTHORITY, or use ssh -X)." + HEADLESS_HINT;
        }
        if (message.contains("GTK") || failure instanceof UnsatisfiedLinkError || !gtkInstalled) {
            return "cannot open the window: JavaFX could not load GTK 3, which draws its windows on Linux: " + GTK_PACKAGES + "."
                    + HEADLESS_HINT;
        }
        return "cannot open the window: JavaFX failed to start (" + failure.getClass().getSimpleName() + ": " + message + ")."
                + HEADLESS_HINT;
    }

    private static String display(Map<String, String> env) {
        return !blank(env.get("DISPLAY")) ? "DISPLAY=" + env.get("DISPLAY") : "WAYLAND_DISPLAY=" + env.get("WAYLAND_DISPLAY");
    }

    /** Whether the dynamic linker can find GTK 3 ({@code libgtk-3.so.0}): its cache, LD_LIBRARY_PATH or the usual folders. */
    public static boolean gtkInstalled() {
        List<Path> dirs = new ArrayList<>();
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) {
            for (String d : ld.split(":")) {
                if (!d.isBlank()) {
                    dirs.add(Path.of(d));
                }
            }
        }
        for (String d : List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib64", "/lib")) {
            dirs.add(Path.of(d));
        }
        return gtkInstalled(readCache(Path.of("/etc/ld.so.cache")), dirs, Files::exists);
    }

    static boolean gtkInstalled(String ldCache, List<Path> dirs, Predicate<Path> exists) {
        if (ldCache != null && ldCache.contains("libgtk-3.so.0")) {
            return true;
        }
        return dirs.stream().anyMatch(d -> exists.test(d.resolve("libgtk-3.so.0")));
    }

    /** The linker cache as Latin-1 text (library names are plain bytes in it), or null; read at most 8 MiB. */
    private static String readCache(Path cache) {
        try {
            if (Files.size(cache) > 8L << 20) {
                return null;
            }
            return new String(Files.readAllBytes(cache), StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
