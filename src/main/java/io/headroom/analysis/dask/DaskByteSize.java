package io.headroom.analysis.dask;

import java.util.HashMap;
import java.util.Map;

/**
 * Dask's {@code dask.utils.parse_bytes} (dask/utils.py, 2022.12.1; unchanged in 2024.x):
 * spaces removed, a leading {@code 1} added when there is no digit, the trailing letters are the
 * unit (case-insensitive), the rest is read by {@code float()}, and the result is
 * {@code int(n * multiplier)}. Decimal units: {@code kB, MB, GB, TB, PB} and their first letters
 * ({@code 4G} = 4·10⁹); binary units: {@code KiB … PiB} and {@code Ki … Pi}. Unlike Docker, where
 * {@code 4g} means 4·2³⁰.
 */
public final class DaskByteSize {
    /** byte_sizes after Dask's two {@code update()} calls, keys lower-cased. */
    static final Map<String, Long> UNITS = new HashMap<>();

    static {
        Map<String, Long> base = new java.util.LinkedHashMap<>();
        base.put("kB", 1_000L);
        base.put("MB", 1_000_000L);
        base.put("GB", 1_000_000_000L);
        base.put("TB", 1_000_000_000_000L);
        base.put("PB", 1_000_000_000_000_000L);
        base.put("KiB", 1L << 10);
        base.put("MiB", 1L << 20);
        base.put("GiB", 1L << 30);
        base.put("TiB", 1L << 40);
        base.put("PiB", 1L << 50);
        base.put("B", 1L);
        base.put("", 1L);
        base.forEach((k, v) -> UNITS.put(k.toLowerCase(java.util.Locale.ROOT), v));
        // byte_sizes.update({k[0]: v for k, v in byte_sizes.items() if k and "i" not in k})
        new HashMap<>(UNITS).forEach((k, v) -> {
            if (!k.isEmpty() && !k.contains("i")) {
                UNITS.put(k.substring(0, 1), v);
            }
        });
        // byte_sizes.update({k[:-1]: v for k, v in byte_sizes.items() if k and "i" in k})
        new HashMap<>(UNITS).forEach((k, v) -> {
            if (!k.isEmpty() && k.contains("i")) {
                UNITS.put(k.substring(0, k.length() - 1), v);
            }
        });
    }

    private DaskByteSize() {
    }

    /**
     * Result of parse_bytes: a value (unbounded, like a Python int), or the error Dask would raise.
     */
    public record Parsed(java.math.BigInteger value, String error) {
        public boolean ok() {
            return error == null;
        }

        /** The value when it fits a long (every real memory size does), else null. */
        public Long bytes() {
            return value == null || value.bitLength() > 63 ? null : value.longValue();
        }
    }

    public static Parsed parse(String input) {
        String s = input.replace(" ", "");
        if (s.codePoints().noneMatch(Character::isDigit)) {
            s = "1" + s;
        }
        // for i in range(len(s) - 1, -1, -1): if not s[i].isalpha(): break  — then index = i + 1
        // (Python indexes code points, not UTF-16 units)
        int[] cp = s.codePoints().toArray();
        int i = cp.length - 1;
        while (i > 0 && Character.isLetter(cp[i])) {
            i--;
        }
        int index = i + 1;
        String prefix = new String(cp, 0, index);
        String suffix = new String(cp, index, cp.length - index);
        Double n = PythonNumbers.pyFloat(prefix);
        if (n == null) {
            return new Parsed(null, "Could not interpret '" + prefix + "' as a number");
        }
        Long multiplier = UNITS.get(suffix.toLowerCase(java.util.Locale.ROOT));
        if (multiplier == null) {
            return new Parsed(null, "Could not interpret '" + suffix + "' as a byte unit");
        }
        java.math.BigInteger result = PythonNumbers.truncateExact(n * multiplier);
        if (result == null) {
            return new Parsed(null, "cannot convert " + prefix + " to an integer");
        }
        return new Parsed(result, null);
    }

    /** True when the unit is decimal (powers of 1000) and not plain bytes. */
    public static boolean isDecimalUnit(String input) {
        String s = input.replace(" ", "").toLowerCase(java.util.Locale.ROOT);
        int i = s.length();
        while (i > 0 && Character.isLetter(s.charAt(i - 1))) {
            i--;
        }
        String unit = s.substring(i);
        return !unit.isEmpty() && !unit.equals("b") && !unit.contains("i") && UNITS.containsKey(unit);
    }
}
