package io.headroom.probe;

import io.headroom.model.MemInfo;
import oshi.SystemInfo;
import oshi.hardware.GlobalMemory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The local machine's memory from OSHI: the only source on macOS and Windows (no /proc there),
 * and a cross-check of the probe's MemTotal on Linux.
 */
public final class OshiLocalFacts {
    private OshiLocalFacts() {
    }

    /**
     * MemTotal and MemAvailable in bytes. On Linux this is /proc/meminfo, read here directly: that is
     * the file OSHI reads there too, and loading OSHI and JNA for it cost ~0.3 s of a ~0.55 s
     * {@code headroom scan local} (docs/performance.md). Elsewhere, and when /proc/meminfo cannot be
     * read, OSHI answers.
     */
    public static MemInfo memInfo() {
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            MemInfo proc = procMemInfo(Path.of("/proc/meminfo"));
            if (proc != null) {
                return proc;
            }
        }
        return oshiMemInfo();
    }

    /**
     * MemTotal and MemAvailable (bytes) from a Linux meminfo file, parsed on its own (not by the
     * probe's parser, so that the cross-check stays independent); null when unreadable or incomplete.
     */
    static MemInfo procMemInfo(Path file) {
        long total = -1;
        long available = -1;
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
                if (line.startsWith("MemTotal:")) {
                    total = kibToBytes(line);
                } else if (line.startsWith("MemAvailable:")) {
                    available = kibToBytes(line);
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (total < 0 || available < 0) {
            return null;
        }
        return new MemInfo(total, available, Map.of("MemTotal", total, "MemAvailable", available));
    }

    /** "MemTotal:       24686964 kB" to bytes; -1 when the line has another shape. */
    private static long kibToBytes(String line) {
        String[] f = line.substring(line.indexOf(':') + 1).trim().split("\\s+");
        if (f.length != 2 || !f[1].equals("kB")) {
            return -1;
        }
        return Math.multiplyExact(Long.parseLong(f[0]), 1024L);
    }

    /** MemTotal and MemAvailable (bytes) as OSHI reports them. */
    static MemInfo oshiMemInfo() {
        GlobalMemory mem = new SystemInfo().getHardware().getMemory();
        return new MemInfo(mem.getTotal(), mem.getAvailable(),
                Map.of("MemTotal", mem.getTotal(), "MemAvailable", mem.getAvailable()));
    }

    /** Logical processors as OSHI counts them. */
    public static int cpuCount() {
        return new SystemInfo().getHardware().getProcessor().getLogicalProcessorCount();
    }

    /** The OS name, for messages. */
    public static String osName() {
        return System.getProperty("os.name", "unknown OS");
    }
}
