package io.headroom.analysis.dask;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dask (distributed) calendar version such as {@code 2022.12.1} or Debian's {@code 2022.12.1+ds.1}.
 *
 * @param year  e.g. 2022
 * @param month e.g. 12
 * @param patch e.g. 1
 * @param text  as found
 */
public record DaskVersion(int year, int month, int patch, String text) implements Comparable<DaskVersion> {
    /**
     * {@code YYYY.M.P} at the start; the patch number is at most 9 digits and not followed by another
     * digit, so a garbled {@code 2022.12.0055555555555…} is "not a version" instead of an int overflow
     * (a Jazzer finding: NumberFormatException escaped parse).
     */
    private static final Pattern CALVER = Pattern.compile("^(\\d{4})\\.(\\d{1,2})\\.(\\d{1,9})(?!\\d)");

    /** Parses the leading {@code YYYY.M.P}; null when the text does not start with one. */
    public static DaskVersion parse(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = CALVER.matcher(text.strip());
        if (!m.find()) {
            return null;
        }
        return new DaskVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)), text.strip());
    }

    public static DaskVersion of(int year, int month, int patch) {
        return new DaskVersion(year, month, patch, year + "." + month + "." + patch);
    }

    @Override
    public int compareTo(DaskVersion o) {
        if (year != o.year) {
            return Integer.compare(year, o.year);
        }
        if (month != o.month) {
            return Integer.compare(month, o.month);
        }
        return Integer.compare(patch, o.patch);
    }

    public boolean atLeast(int y, int m, int p) {
        return compareTo(of(y, m, p)) >= 0;
    }
}
