package io.headroom.engine.fix;

import io.headroom.model.Masked;

import java.util.ArrayList;
import java.util.List;

/**
 * Re-applies to the real file on the VM an edit that the compose editor made on the text the scan
 * received, in which the probe had masked values that look like secrets (decision 0019). The probe
 * masks within lines and keeps every line, so the scanned text and the real file have the same
 * lines, differing only where a line holds {@link Masked#MARKER}. The edit is the line diff of the
 * scanned text before → after: lines it keeps come from the real file, lines it adds from the
 * edit. It is refused when it would delete or rewrite a masked line, add a line holding the marker,
 * or when the real file does not line up with the scanned text. Pure.
 */
public final class MaskedEdit {
    /** Line-diff cells above which the edit is refused (a compose edit changes a few lines). */
    static final long MAX_CELLS = 16_000_000L;

    /** Why the edit cannot be re-applied; the message names the line. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private MaskedEdit() {
    }

    /**
     * @param real   the file as it is on the VM (its hash already checked against the scan's)
     * @param before the text the scan received (masked)
     * @param after  the editor's result on {@code before}
     * @return the real file with the same edit
     */
    public static String apply(String real, String before, String after) throws Refused {
        if (real.equals(before)) {
            return after;
        }
        List<String> r = lines(real);
        List<String> b = lines(before);
        List<String> a = lines(after);
        if (r.size() != b.size()) {
            throw new Refused("the file has " + r.size() + " lines on the VM but the scan saw " + b.size()
                    + ": it does not line up with the scanned text");
        }
        for (int i = 0; i < r.size(); i++) {
            if (!r.get(i).equals(b.get(i)) && !Masked.in(b.get(i))) {
                throw new Refused("line " + (i + 1) + " differs from the scanned text without a masked value in it");
            }
        }
        int pre = 0;
        while (pre < b.size() && pre < a.size() && b.get(pre).equals(a.get(pre))) {
            pre++;
        }
        int suf = 0;
        while (suf < b.size() - pre && suf < a.size() - pre && b.get(b.size() - 1 - suf).equals(a.get(a.size() - 1 - suf))) {
            suf++;
        }
        int n = b.size() - pre - suf;
        int m = a.size() - pre - suf;
        if ((long) (n + 1) * (m + 1) > MAX_CELLS) {
            throw new Refused("the edit spans " + n + " × " + m + " lines, too many to re-apply line by line");
        }
        // longest common subsequence of the middle parts
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = b.get(pre + i).equals(a.get(pre + j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> out = new ArrayList<>(r.subList(0, pre));
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && b.get(pre + i).equals(a.get(pre + j))) {
                out.add(r.get(pre + i));
                i++;
                j++;
            } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
                String added = a.get(pre + j);
                if (Masked.in(added)) {
                    throw new Refused("new line " + (pre + j + 1) + " would hold a value masked on the VM (a secret stays"
                            + " there): the edit would rewrite masked parts; edit that file by hand");
                }
                out.add(added);
                j++;
            } else {
                if (masked(r, b, pre + i)) {
                    throw new Refused("line " + (pre + i + 1) + " holds a value masked on the VM (a secret stays there) and"
                            + " the edit would change it; edit that file by hand");
                }
                i++;
            }
        }
        out.addAll(r.subList(r.size() - suf, r.size()));
        boolean newline = before.endsWith("\n") == after.endsWith("\n") ? real.endsWith("\n") : after.endsWith("\n");
        String joined = String.join("\n", out);
        return out.isEmpty() ? "" : newline ? joined + "\n" : joined;
    }

    private static boolean masked(List<String> real, List<String> scanned, int i) {
        return !real.get(i).equals(scanned.get(i)) || Masked.in(scanned.get(i));
    }

    /** Lines without their '\n'; a final '\n' ends the last line (it does not start an empty one). */
    private static List<String> lines(String s) {
        if (s.isEmpty()) {
            return List.of();
        }
        String t = s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
        return List.of(t.split("\n", -1));
    }
}
