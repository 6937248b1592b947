package io.headroom.ssh;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns sshj's "Unable to reach a settlement of Client2ServerCipherAlgorithms: [ours] and [theirs]" into what an
 * operator can act on: which ssh_config option, what the server offers, and the line that would allow it for
 * this host alone. Headroom offers what OpenSSH would ({@link SshAlgorithms}), so a server that only speaks
 * algorithms OpenSSH dropped fails here as it fails for {@code ssh}; never silently weaker.
 */
final class NoCommonAlgorithm {
    /** sshj's {@code Proposal.firstMatch} message (sshj 0.40). */
    private static final Pattern SETTLEMENT = Pattern.compile("Unable to reach a settlement of (\\w+): \\[(.*)] and \\[(.*)]");

    /** sshj's category names → the ssh_config option that sets the client's list. */
    private static final Map<String, String> OPTION = Map.of(
            "KeyExchangeAlgorithms", "KexAlgorithms",
            "HostKeyAlgorithms", "HostKeyAlgorithms",
            "Client2ServerCipherAlgorithms", "Ciphers",
            "Server2ClientCipherAlgorithms", "Ciphers",
            "Client2ServerMACAlgorithms", "MACs",
            "Server2ClientMACAlgorithms", "MACs");

    private NoCommonAlgorithm() {
    }

    /** An explanation when {@code e} (or a cause) is sshj's failed negotiation, else null. */
    static SshException explain(String label, String where, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            Matcher m = SETTLEMENT.matcher(String.valueOf(t.getMessage()));
            if (!m.find()) {
                continue;
            }
            String option = OPTION.getOrDefault(m.group(1), m.group(1));
            List<String> theirs = shown(split(m.group(3)));
            String ours = String.join(",", split(m.group(2)));
            String first = theirs.isEmpty() ? "ALGORITHM" : theirs.get(0);
            String host;  // ssh_config's Host patterns match the name as typed, without user@ and :port
            try {
                host = SshTarget.parse(label).host();
            } catch (IllegalArgumentException notATarget) {
                host = label;
            }
            return new SshException(SshException.Kind.NO_COMMON_ALGORITHM, label + ": " + where + " and Headroom have no "
                    + option + " in common. The server offers " + String.join(",", theirs) + "; Headroom offers what OpenSSH's"
                    + " ssh would for this host (ssh -G): " + ours + ". Upgrade the server's SSH, or allow one of its algorithms"
                    + " for this host alone in ~/.ssh/config: \"Host " + host + "\" then \"" + option + " +" + first + "\".", e);
        }
        return null;
    }

    /**
     * The server's names as they may be shown: the list comes from the remote side, so a name that is not an
     * algorithm name (RFC 4251 §6: printable US-ASCII, at most 64 characters; here letters, digits and
     * {@code @._+-}) is dropped, and at most {@value #SHOWN} names are kept.
     */
    static List<String> shown(List<String> names) {
        List<String> ok = names.stream().filter(a -> a.length() <= 64 && a.matches("[A-Za-z0-9@._+-]+")).toList();
        if (ok.size() <= SHOWN) {
            return ok;
        }
        List<String> out = new java.util.ArrayList<>(ok.subList(0, SHOWN));
        out.add("(" + (ok.size() - SHOWN) + " more)");
        return out;
    }

    private static final int SHOWN = 12;

    /** The names of a list, without the pseudo-algorithms of the key exchange (ext-info-c/s, kex-strict-c/s-v00). */
    private static List<String> split(String list) {
        return Arrays.stream(list.split(",")).map(String::strip)
                .filter(a -> !a.isEmpty() && !a.startsWith("ext-info-") && !a.startsWith("kex-strict-")).toList();
    }
}
