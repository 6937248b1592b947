package io.headroom.analysis;

/**
 * How Docker's Python SDK (used by docker-compose 1.29) reads a {@code mem_limit} string:
 * docker/utils/utils.py parse_bytes — an optional {@code b}/{@code B} after a unit letter is dropped,
 * the last character is the unit ({@code b k m g}, case-insensitive, binary: {@code 1g} = 2³⁰) or a
 * digit (bytes), the rest is read by {@code float()}, result {@code int(digits × unit)}.
 * Anything else is rejected ("should specify the units").
 */
public final class DockerByteSize {
    private DockerByteSize() {
    }

    /** Bytes, or null when docker-compose would reject the value. */
    public static Long parse(String input) {
        if (input == null) {
            return null;
        }
        String s = input;
        if (s.isEmpty()) {
            return 0L;
        }
        if (s.length() >= 2 && Character.isLetter(s.charAt(s.length() - 2)) && Character.isLetter(s.charAt(s.length() - 1))
                && (s.endsWith("b") || s.endsWith("B"))) {
            s = s.substring(0, s.length() - 1);
        }
        char last = Character.toLowerCase(s.charAt(s.length() - 1));
        long unit;
        String digits;
        if (Character.isDigit(last)) {
            unit = 1;
            digits = s;
        } else {
            digits = s.substring(0, s.length() - 1);
            unit = switch (last) {
                case 'b' -> 1L;
                case 'k' -> 1L << 10;
                case 'm' -> 1L << 20;
                case 'g' -> 1L << 30;
                default -> -1L;
            };
            if (unit < 0) {
                return null;
            }
        }
        Double d = io.headroom.analysis.dask.PythonNumbers.pyFloat(digits);
        if (d == null) {
            return null;
        }
        return io.headroom.analysis.dask.PythonNumbers.truncate(d * unit);
    }
}
