package io.headroom.probe;

import io.headroom.model.MemInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class OshiLocalFactsTest {
    @TempDir
    Path dir;

    @Test
    void readsMemTotalAndMemAvailableInBytes() throws Exception {
        Path f = dir.resolve("meminfo");
        Files.writeString(f, "MemTotal:       24686964 kB\nMemFree:  100 kB\nMemAvailable:   23058092 kB\n");
        MemInfo m = OshiLocalFacts.procMemInfo(f);
        assertEquals(24686964L * 1024, m.memTotalBytes());
        assertEquals(23058092L * 1024, m.memAvailableBytes());
    }

    @Test
    void incompleteOrMissingFileGivesNull() throws Exception {
        Path f = dir.resolve("meminfo");
        Files.writeString(f, "MemTotal:       24686964 kB\n");
        assertNull(OshiLocalFacts.procMemInfo(f));
        assertNull(OshiLocalFacts.procMemInfo(dir.resolve("absent")));
        Files.writeString(f, "MemTotal: 12 MB\nMemAvailable: 1 kB\n");
        assertNull(OshiLocalFacts.procMemInfo(f));
    }

    @Test
    void onLinuxAgreesWithOshi() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return;
        }
        assertEquals(OshiLocalFacts.oshiMemInfo().memTotalBytes(), OshiLocalFacts.memInfo().memTotalBytes());
    }
}
