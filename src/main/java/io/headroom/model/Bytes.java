package io.headroom.model;

import java.util.Locale;

/** Formats byte counts in binary units (GiB, MiB), the way operators read memory. */
public final class Bytes {
    public static final long KIB = 1024L;
    public static final long MIB = 1024L * KIB;
    public static final long GIB = 1024L * MIB;

    private Bytes() {
    }

    /** e.g. {@code 3.50 GiB}, {@code 512.0 MiB}, {@code 900 B}; "unlimited" for null. */
    public static String human(Long bytes) {
        if (bytes == null) {
            return "unlimited";
        }
        long b = bytes;
        long abs = Math.abs(b);
        if (abs >= GIB) {
            return String.format(Locale.ROOT, "%.2f GiB", b / (double) GIB);
        }
        if (abs >= MIB) {
            return String.format(Locale.ROOT, "%.1f MiB", b / (double) MIB);
        }
        if (abs >= KIB) {
            return String.format(Locale.ROOT, "%.1f KiB", b / (double) KIB);
        }
        return b + " B";
    }

    /** Rounds down to whole MiB (a clean value for mem_limit). */
    public static long floorMiB(long bytes) {
        return bytes / MIB * MIB;
    }
}
