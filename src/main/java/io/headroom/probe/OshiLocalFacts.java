package io.headroom.probe;

import io.headroom.model.MemInfo;
import oshi.SystemInfo;
import oshi.hardware.GlobalMemory;

import java.util.Map;

/**
 * The local machine's memory from OSHI: the only source on macOS and Windows (no /proc there),
 * and a cross-check of the probe's MemTotal on Linux.
 */
public final class OshiLocalFacts {
    private OshiLocalFacts() {
    }

    /** MemTotal and MemAvailable as OSHI reports them (on Linux OSHI reads /proc/meminfo too). */
    public static MemInfo memInfo() {
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
