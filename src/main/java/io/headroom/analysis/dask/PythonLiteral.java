package io.headroom.analysis.dask;

import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * The part of Python's {@code ast.literal_eval} that matters for Dask's numeric configuration
 * (dask/config.py collect_env): {@code True}, {@code False}, {@code None}, int literals (decimal,
 * {@code 0x}, {@code 0o}, {@code 0b}, underscores), float literals (overflowing to ±inf like
 * Python's parser), unary {@code +}/{@code -} and redundant parentheses. Anything else stays the
 * raw string, as collect_env does when literal_eval raises.
 */
final class PythonLiteral {
    /** What a value became. */
    sealed interface Value permits Bool, None, Num, Str {
    }

    record Bool(boolean value) implements Value {
    }

    record None() implements Value {
    }

    record Num(double value, boolean isInt) implements Value {
    }

    record Str(String value) implements Value {
    }

    private static final Pattern DEC_INT = Pattern.compile("(0(_?0)*|[1-9](_?\\d)*)");
    private static final Pattern HEX = Pattern.compile("0[xX](_?[0-9a-fA-F])+");
    private static final Pattern OCT = Pattern.compile("0[oO](_?[0-7])+");
    private static final Pattern BIN = Pattern.compile("0[bB](_?[01])+");
    private static final Pattern FLOAT = Pattern.compile(
            "((\\d(_?\\d)*)?\\.(\\d(_?\\d)*)?([eE][+-]?\\d(_?\\d)*)?|\\d(_?\\d)*[eE][+-]?\\d(_?\\d)*)");

    private PythonLiteral() {
    }

    static Value eval(String raw) {
        Value v = literalEvalOrNull(raw);
        return v == null ? new Str(raw) : v;
    }

    /**
     * {@code ast.literal_eval(raw)}, or null where it raises SyntaxError or ValueError. A {@code #}
     * starts a comment, as Python's tokenizer reads it ({@code "0.7 # spill"} is 0.7); a value with
     * quotes and a {@code #} is left to the quoted-string rule.
     */
    static Value literalEvalOrNull(String raw) {
        String s = raw;
        int hash = s.indexOf('#');
        if (hash >= 0 && s.indexOf('\'') < 0 && s.indexOf('"') < 0) {
            s = s.substring(0, hash);
        }
        return parse(s.strip());
    }

    private static Value parse(String s) {
        s = s.strip();
        while (s.length() >= 2 && s.startsWith("(") && s.endsWith(")") && balanced(s.substring(1, s.length() - 1))) {
            s = s.substring(1, s.length() - 1).strip();
        }
        switch (s) {
            case "True":
                return new Bool(true);
            case "False":
                return new Bool(false);
            case "None":
                return new None();
            default:
                break;
        }
        if (s.length() >= 2 && (s.charAt(0) == '\'' || s.charAt(0) == '"') && s.charAt(s.length() - 1) == s.charAt(0)
                && s.indexOf(s.charAt(0), 1) == s.length() - 1 && s.indexOf('\\') < 0) {
            return new Str(s.substring(1, s.length() - 1));
        }
        if (s.startsWith("-") || s.startsWith("+")) {
            Value inner = parse(s.substring(1));
            if (inner instanceof Num n) {
                return s.startsWith("-") ? new Num(-n.value(), n.isInt()) : n;
            }
            if (inner instanceof Bool b) {
                // -True is -1 (bool is an int)
                double d = b.value() ? 1 : 0;
                return new Num(s.startsWith("-") ? -d : d, true);
            }
            return null;
        }
        if (DEC_INT.matcher(s).matches()) {
            return new Num(new BigInteger(s.replace("_", "")).doubleValue(), true);
        }
        if (HEX.matcher(s).matches()) {
            return new Num(new BigInteger(s.substring(2).replace("_", ""), 16).doubleValue(), true);
        }
        if (OCT.matcher(s).matches()) {
            return new Num(new BigInteger(s.substring(2).replace("_", ""), 8).doubleValue(), true);
        }
        if (BIN.matcher(s).matches()) {
            return new Num(new BigInteger(s.substring(2).replace("_", ""), 2).doubleValue(), true);
        }
        if (FLOAT.matcher(s).matches() && !s.equals(".")) {
            return new Num(Double.parseDouble(s.replace("_", "")), false);
        }
        return null;
    }

    private static boolean balanced(String s) {
        int depth = 0;
        for (char c : s.toCharArray()) {
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth < 0) {
                return false;
            }
        }
        return depth == 0;
    }
}
