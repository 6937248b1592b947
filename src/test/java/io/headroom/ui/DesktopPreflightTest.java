package io.headroom.ui;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Why the window cannot open, in words a user can act on (issue 16). */
class DesktopPreflightTest {
    @Test
    void linuxWithoutAnyDisplayIsRefusedBeforeJavaFxStarts() {
        String r = DesktopPreflight.before("Linux", Map.of(), Map.of()).orElseThrow();
        assertTrue(r.startsWith("cannot open the window: there is no display"), r);
        assertTrue(r.endsWith("use the command line: 'headroom scan' (see 'headroom --help')."), r);
        assertTrue(DesktopPreflight.before("Linux", Map.of("DISPLAY", " "), Map.of()).isPresent(), "blank is none");
    }

    @Test
    void anyDisplayOrAnotherPlatformOrToolkitIsLeftToJavaFx() {
        assertTrue(DesktopPreflight.before("Linux", Map.of("DISPLAY", ":0"), Map.of()).isEmpty());
        assertTrue(DesktopPreflight.before("Linux", Map.of("WAYLAND_DISPLAY", "wayland-0"), Map.of()).isEmpty());
        assertTrue(DesktopPreflight.before("Mac OS X", Map.of(), Map.of()).isEmpty());
        assertTrue(DesktopPreflight.before("Windows 11", Map.of(), Map.of()).isEmpty());
        assertTrue(DesktopPreflight.before("Linux", Map.of(), Map.of("glass.platform", "Monocle")).isEmpty(), "headless tests");
    }

    @Test
    void javaFxFailuresBecomeOneSentence() {
        // the messages JavaFX 21's GtkApplication and its native loader throw
        String display = DesktopPreflight.after(new UnsupportedOperationException("Unable to open DISPLAY"), Map.of("DISPLAY", ":9"), true);
        assertTrue(display.startsWith("cannot open the window: the display DISPLAY=:9 does not answer"), display);
        String gtk = DesktopPreflight.after(new UnsatisfiedLinkError("no glassgtk3"), Map.of("DISPLAY", ":0"), true);
        assertTrue(gtk.contains("could not load GTK 3") && gtk.contains("apt-get install libgtk-3-0t64") && gtk.contains("dnf install gtk3"), gtk);
        assertEquals(gtk, DesktopPreflight.after(new RuntimeException("Unable to load glass GTK library."), Map.of("DISPLAY", ":0"), true));
        assertEquals(gtk, DesktopPreflight.after(new IllegalStateException("No toolkit found"), Map.of("DISPLAY", ":0"), false),
                "an unclear failure where GTK cannot be found: GTK");
        String other = DesktopPreflight.after(new IllegalStateException("boom"), Map.of("DISPLAY", ":0"), true);
        assertEquals("cannot open the window: JavaFX failed to start (IllegalStateException: boom)."
                + DesktopPreflight.HEADLESS_HINT, other);
        for (String s : List.of(display, gtk, other)) {
            assertFalse(s.contains("\n"), "one line");
        }
    }

    @Test
    void gtkIsFoundInTheLinkerCacheOrTheLibraryFolders() {
        assertTrue(DesktopPreflight.gtkInstalled("\0libgtk-3.so.0\0/usr/lib/x86_64-linux-gnu/libgtk-3.so.0\0", List.of(), p -> false));
        assertTrue(DesktopPreflight.gtkInstalled(null, List.of(Path.of("/opt/lib")), p -> p.equals(Path.of("/opt/lib/libgtk-3.so.0"))));
        assertFalse(DesktopPreflight.gtkInstalled("\0libgtk-4.so.1\0", List.of(Path.of("/usr/lib")), p -> false));
    }
}
