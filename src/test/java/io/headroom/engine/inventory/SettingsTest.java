package io.headroom.engine.inventory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsTest {
    @TempDir
    Path dir;

    @Test
    void defaultIsChangesAllowed() throws Exception {
        Settings s = Settings.load(dir.resolve("settings.yaml"), Map.of());
        assertFalse(s.readOnly());
        assertEquals("default", s.source());
    }

    @Test
    void savedValueRoundTripsAndTheFileStaysReadable() throws Exception {
        Path f = dir.resolve("settings.yaml");
        Settings.saveReadOnly(f, true);
        assertTrue(Settings.load(f, Map.of()).readOnly());
        assertTrue(Files.readString(f).contains("readOnly: true"));
        Settings.saveReadOnly(f, false);
        assertFalse(Settings.load(f, Map.of()).readOnly());
    }

    @Test
    void theEnvironmentCanOnlyTurnItOn() throws Exception {
        Path f = dir.resolve("settings.yaml");
        Settings.saveReadOnly(f, false);
        Settings on = Settings.load(f, Map.of(Settings.ENV, "1"));
        assertTrue(on.readOnly());
        assertEquals("HEADROOM_READ_ONLY=1", on.source());
        Settings.saveReadOnly(f, true);
        assertTrue(Settings.load(f, Map.of(Settings.ENV, "0")).readOnly(), "HEADROOM_READ_ONLY=0 does not override the file");
    }

    @Test
    void aMistypedValueIsAnErrorNotASilentDefault() throws Exception {
        Path f = dir.resolve("settings.yaml");
        Files.writeString(f, "readOnly: yes please\n");
        IOException e = assertThrows(IOException.class, () -> Settings.load(f, Map.of()));
        assertTrue(e.getMessage().contains("readOnly must be true or false"), e.getMessage());
        Files.writeString(f, "- a list\n");
        assertThrows(IOException.class, () -> Settings.load(f, Map.of()));
    }
}
