package io.headroom.ssh;

import java.nio.file.Path;

/**
 * A host offered a key other than the one known_hosts has for it. Headroom always refuses such a
 * connection; this says what the user needs to check it out of band and, if the change is
 * expected, remove the old entry.
 *
 * @param host               the name looked up in known_hosts ({@code [host]:port} when not 22, or the HostKeyAlias)
 * @param offeredType        the offered key's type, e.g. ssh-ed25519
 * @param offeredFingerprint {@code SHA256:…} of the offered key
 * @param knownType          the type of the key on the known_hosts line
 * @param knownFingerprint   {@code SHA256:…} of the key on that line
 * @param knownHostsFile     the file holding the line
 * @param line               1-based line number in that file
 */
public record HostKeyMismatch(String host, String offeredType, String offeredFingerprint, String knownType,
                              String knownFingerprint, Path knownHostsFile, int line) {
    /** {@code ssh-keygen -R host -f file}: removes the old entry (hashed or not). */
    public String removeCommand() {
        return "ssh-keygen -R " + ShellQuote.quote(host) + " -f " + ShellQuote.quote(knownHostsFile.toString());
    }
}
