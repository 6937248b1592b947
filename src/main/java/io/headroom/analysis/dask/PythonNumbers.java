package io.headroom.analysis.dask;

import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * Python's {@code int(str)} and {@code float(str)} as Dask calls them on file contents and
 * command-line values (CPython Objects/longobject.c PyLong_FromString and Python/pystrtod.c):
 * surrounding whitespace allowed, one optional sign, single underscores between digits,
 * {@code inf}/{@code nan} for floats.
 */
public final class PythonNumbers {
    private static final Pattern INT = Pattern.compile("[+-]?\\d(_?\\d)*");
    private static final Pattern FLOAT = Pattern.compile(
            "[+-]?((\\d(_?\\d)*)(\\.(\\d(_?\\d)*)?)?|\\.\\d(_?\\d)*)([eE][+-]?\\d(_?\\d)*)?");
    private static final Pattern SPECIAL = Pattern.compile("[+-]?(inf|infinity|nan)", Pattern.CASE_INSENSITIVE);

    private PythonNumbers() {
    }

    /** {@code int(text)}: the value, or null where Python raises ValueError. May exceed long. */
    public static BigInteger pyInt(String text) {
        if (text == null) {
            return null;
        }
        String s = text.strip();
        if (!INT.matcher(s).matches()) {
            return null;
        }
        return new BigInteger(s.replace("_", "").replace("+", ""));
    }

    /** {@code float(text)}: the value, or null where Python raises ValueError. */
    public static Double pyFloat(String text) {
        if (text == null) {
            return null;
        }
        String s = text.strip();
        if (SPECIAL.matcher(s).matches()) {
            boolean neg = s.startsWith("-");
            if (s.toLowerCase(java.util.Locale.ROOT).contains("nan")) {
                return Double.NaN;
            }
            return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (!FLOAT.matcher(s).matches()) {
            return null;
        }
        return Double.parseDouble(s.replace("_", ""));
    }

    /** Python's {@code int(x)} of a float: truncation toward zero; null for inf/nan (Python raises). */
    public static Long truncate(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            return null;
        }
        if (x >= 0x1p63 || x < -0x1p63) {
            return null;
        }
        return (long) x;
    }
}
