package io.headroom.compose;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff ({@code diff -u}, 3 lines of context) of two texts, for {@code headroom fix}
 * without {@code --apply}. Lines are split at LF; a CR before it stays part of the line (so CRLF
 * files show their CRs, as {@code diff} does). A missing final newline is marked with
 * {@code \ No newline at end of file}.
 */
public final class ComposeDiff {
    private static final int CONTEXT = 3;

    private ComposeDiff() {
    }

    /** {@code --- a/PATH} / {@code +++ b/PATH} headers, then the hunks; empty when the texts are equal. */
    public static String unified(String path, String oldText, String newText) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return unified("a/" + p, "b/" + p, oldText, newText, CONTEXT);
    }

    public static String unified(String oldName, String newName, String oldText, String newText, int context) {
        if (oldText.equals(newText)) {
            return "";
        }
        List<String> a = lines(oldText);
        List<String> b = lines(newText);
        List<Op> ops = diff(a, b);
        StringBuilder out = new StringBuilder();
        out.append("--- ").append(oldName).append('\n');
        out.append("+++ ").append(newName).append('\n');
        int i = 0;
        while (i < ops.size()) {
            if (ops.get(i).kind == ' ') {
                i++;
                continue;
            }
            int start = Math.max(0, i - context);
            // extend the hunk while the next change is within 2*context equal lines
            int end = i;
            while (true) {
                while (end < ops.size() && ops.get(end).kind != ' ') {
                    end++;
                }
                int eq = end;
                while (eq < ops.size() && ops.get(eq).kind == ' ') {
                    eq++;
                }
                if (eq < ops.size() && eq - end <= 2 * context) {
                    end = eq;
                } else {
                    end = Math.min(ops.size(), end + context);
                    break;
                }
            }
            int aStart = ops.get(start).aIndex;
            int bStart = ops.get(start).bIndex;
            int aCount = 0;
            int bCount = 0;
            for (int k = start; k < end; k++) {
                char c = ops.get(k).kind;
                if (c != '+') {
                    aCount++;
                }
                if (c != '-') {
                    bCount++;
                }
            }
            out.append("@@ -").append(range(aStart, aCount)).append(" +").append(range(bStart, bCount)).append(" @@\n");
            for (int k = start; k < end; k++) {
                Op op = ops.get(k);
                if (op.line.endsWith(NO_EOL)) {
                    out.append(op.kind).append(op.line, 0, op.line.length() - 1).append("\n\\ No newline at end of file\n");
                } else {
                    out.append(op.kind).append(op.line).append('\n');
                }
            }
            i = end;
        }
        return out.toString();
    }

    private static String range(int start0, int count) {
        if (count == 0) {
            return start0 + ",0";
        }
        return count == 1 ? Integer.toString(start0 + 1) : (start0 + 1) + "," + count;
    }

    private record Op(char kind, String line, int aIndex, int bIndex) {
    }

    /** Marks a last line that has no newline, so that it differs from the same line with one. */
    private static final String NO_EOL = "\u0000";

    static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        int pos = 0;
        while (pos < text.length()) {
            int nl = text.indexOf('\n', pos);
            if (nl < 0) {
                out.add(text.substring(pos) + NO_EOL);
                break;
            }
            out.add(text.substring(pos, nl));
            pos = nl + 1;
        }
        return out;
    }

    /** Edit script: common prefix/suffix, LCS on the middle (plain delete + insert if it is huge). */
    private static List<Op> diff(List<String> a, List<String> b) {
        int n = a.size();
        int m = b.size();
        int pre = 0;
        while (pre < n && pre < m && a.get(pre).equals(b.get(pre))) {
            pre++;
        }
        int suf = 0;
        while (suf < n - pre && suf < m - pre && a.get(n - 1 - suf).equals(b.get(m - 1 - suf))) {
            suf++;
        }
        List<Op> ops = new ArrayList<>();
        for (int k = 0; k < pre; k++) {
            ops.add(new Op(' ', a.get(k), k, k));
        }
        int an = n - pre - suf;
        int bm = m - pre - suf;
        if ((long) an * bm <= 4_000_000L) {
            int[][] lcs = new int[an + 1][bm + 1];
            for (int x = an - 1; x >= 0; x--) {
                for (int y = bm - 1; y >= 0; y--) {
                    lcs[x][y] = a.get(pre + x).equals(b.get(pre + y)) ? lcs[x + 1][y + 1] + 1 : Math.max(lcs[x + 1][y], lcs[x][y + 1]);
                }
            }
            int x = 0;
            int y = 0;
            while (x < an || y < bm) {
                if (x < an && y < bm && a.get(pre + x).equals(b.get(pre + y))) {
                    ops.add(new Op(' ', a.get(pre + x), pre + x, pre + y));
                    x++;
                    y++;
                } else if (x < an && (y >= bm || lcs[x + 1][y] >= lcs[x][y + 1])) {
                    ops.add(new Op('-', a.get(pre + x), pre + x, pre + y));
                    x++;
                } else {
                    ops.add(new Op('+', b.get(pre + y), pre + x, pre + y));
                    y++;
                }
            }
        } else {
            for (int x = 0; x < an; x++) {
                ops.add(new Op('-', a.get(pre + x), pre + x, pre));
            }
            for (int y = 0; y < bm; y++) {
                ops.add(new Op('+', b.get(pre + y), n - suf, pre + y));
            }
        }
        for (int k = 0; k < suf; k++) {
            ops.add(new Op(' ', a.get(n - suf + k), n - suf + k, m - suf + k));
        }
        return ops;
    }
}
