package io.headroom.analysis.dask;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * Python's {@code int(str)} and {@code float(str)} as Dask calls them on file contents and
 * command-line values (CPython Objects/longobject.c PyLong_FromString, Python/pystrtod.c and
 * _PyUnicode_TransformDecimalAndSpaceToASCII): surrounding whitespace allowed (ASCII whitespace and
 * Unicode space separators, but not U+001C–U+001F), any Unicode decimal digit, one optional sign,
 * single underscores between digits, {@code inf}/{@code nan} for floats. Integers are unbounded, as
 * in Python. Checked against CPython 3.11 on this machine (DaskPythonTruthTest).
 */
public final class PythonNumbers {
    private static final Pattern INT = Pattern.compile("[+-]?\\d(_?\\d)*");
    private static final Pattern FLOAT = Pattern.compile(
            "[+-]?((\\d(_?\\d)*)(\\.(\\d(_?\\d)*)?)?|\\.\\d(_?\\d)*)([eE][+-]?\\d(_?\\d)*)?");
    private static final Pattern SPECIAL = Pattern.compile("[+-]?(inf|infinity|nan)", Pattern.CASE_INSENSITIVE);

    private PythonNumbers() {
    }

    /** The whitespace int()/float() strip: ASCII \t\n\v\f\r and space, U+0085, and Unicode Zs/Zl/Zp. */
    static boolean isPySpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r') || c == '\u0085' || Character.isSpaceChar(c);
    }

    /** Strips Python whitespace and maps Unicode decimal digits to ASCII; null when nothing sensible remains. */
    static String normalize(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isPySpace(text.charAt(start))) {
            start++;
        }
        while (end > start && isPySpace(text.charAt(end - 1))) {
            end--;
        }
        StringBuilder sb = new StringBuilder(end - start);
        text.substring(start, end).codePoints().forEach(c -> {
            if (c > 127 && Character.isDigit(c)) {
                sb.append((char) ('0' + Character.digit(c, 10)));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return sb.toString();
    }

    /** {@code int(text)}: the value, or null where Python raises ValueError. */
    public static BigInteger pyInt(String text) {
        if (text == null) {
            return null;
        }
        String s = normalize(text);
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
        String s = normalize(text);
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

    /** Python's {@code int(x)} of a float: exact truncation toward zero; null for inf/nan (Python raises). */
    public static BigInteger truncateExact(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            return null;
        }
        return new BigDecimal(x).toBigInteger();
    }

    /** {@link #truncateExact} when the result fits a long, else null. */
    public static Long truncate(double x) {
        BigInteger b = truncateExact(x);
        return b == null || b.bitLength() > 63 ? null : b.longValue();
    }

    /** Python's {@code float(int)}: correctly rounded (half to even), infinite when too large (Python raises). */
    public static double toFloat(BigInteger v) {
        return v.doubleValue();
    }
}
