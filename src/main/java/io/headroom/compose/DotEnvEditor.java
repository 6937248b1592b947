package io.headroom.compose;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sets one variable in a {@code .env} file as a minimal edit: every assignment of the variable gets
 * the new value in place (keeping an {@code export } prefix, the spacing around {@code =} and one pair
 * of surrounding quotes); every other line, comment and line ending stays byte-identical. When the
 * variable is not assigned, {@code NAME=value} is appended (after a line break if the text lacked a
 * final one). docker-compose reads the {@code .env} of the <em>project directory</em>, which is the
 * directory of the first {@code -f} file (see {@link #envPathFor(List)}).
 */
public final class DotEnvEditor {
    private DotEnvEditor() {
    }

    /** Sets {@code AVAILABLE_MEMORY_FOR_DASK=<bytes>} (plain bytes, the value compose substitutes into mem_limit). */
    public static String setAvailableMemory(String envText, long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("bytes must be positive (0 means unlimited to docker): " + bytes);
        }
        return set(envText, MemoryValue.AVAILABLE_MEMORY_FOR_DASK, Long.toString(bytes));
    }

    /** Sets {@code name=value}; value must be a single line without quotes, backslashes, {@code $} or {@code #}. */
    public static String set(String envText, String name, String value) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("not a variable name: " + name);
        }
        if (!value.matches("[^\\s\"'\\\\$#]*")) {
            throw new IllegalArgumentException("value would need quoting: " + value);
        }
        Pattern assignment = Pattern.compile("^([ \\t]*(?:export[ \\t]+)?" + Pattern.quote(name) + "[ \\t]*=[ \\t]*)(.*?)(\\r?)$");
        List<String> lines = new ArrayList<>();
        int pos = 0;
        while (pos < envText.length()) {
            int nl = envText.indexOf('\n', pos);
            if (nl < 0) {
                lines.add(envText.substring(pos));
                break;
            }
            lines.add(envText.substring(pos, nl + 1));
            pos = nl + 1;
        }
        boolean found = false;
        StringBuilder out = new StringBuilder(envText.length() + name.length() + value.length() + 2);
        for (String raw : lines) {
            boolean hasNl = raw.endsWith("\n");
            String line = hasNl ? raw.substring(0, raw.length() - 1) : raw;
            Matcher m = assignment.matcher(line);
            if (m.matches()) {
                found = true;
                String old = m.group(2);
                String quote = "";
                if (old.length() >= 2 && (old.charAt(0) == '"' || old.charAt(0) == '\'') && old.charAt(old.length() - 1) == old.charAt(0)) {
                    quote = old.substring(0, 1);
                }
                out.append(m.group(1)).append(quote).append(value).append(quote).append(m.group(3));
            } else {
                out.append(line);
            }
            if (hasNl) {
                out.append('\n');
            }
        }
        if (!found) {
            String eol = envText.contains("\r\n") ? "\r\n" : "\n";
            if (!envText.isEmpty() && !envText.endsWith("\n")) {
                out.append(eol);
            }
            out.append(name).append('=').append(value).append(eol);
        }
        return out.toString();
    }

    /** The {@code .env} compose reads for these {@code -f} files: beside the first one. */
    public static String envPathFor(List<String> composeFilePaths) {
        String first = composeFilePaths.get(0);
        int slash = first.lastIndexOf('/');
        return (slash < 0 ? "" : first.substring(0, slash + 1)) + ".env";
    }
}
