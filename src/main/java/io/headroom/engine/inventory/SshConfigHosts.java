package io.headroom.engine.inventory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Lists the concrete host aliases written in an ssh_config text ({@code Host a b c} lines without
 * wildcards or negations), to offer them for import. It only lists names: resolving what an alias
 * means is left to {@code ssh -G}.
 */
public final class SshConfigHosts {
    private SshConfigHosts() {
    }

    public static List<String> aliases(String configText) {
        Set<String> out = new LinkedHashSet<>();
        for (String raw : configText.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("[\\s=]+");
            if (!parts[0].equalsIgnoreCase("Host")) {
                continue;
            }
            for (int i = 1; i < parts.length; i++) {
                String h = parts[i].replace("\"", "");
                if (!h.isEmpty() && h.chars().noneMatch(c -> c == '*' || c == '?' || c == '!')) {
                    out.add(h);
                }
            }
        }
        return new ArrayList<>(out);
    }
}
