package io.headroom.ssh;

import com.hierynomus.sshj.userauth.certificate.Certificate;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Strict host-key checking as OpenSSH does it, on the user's known_hosts files (hashed entries,
 * {@code [host]:port}, {@code @revoked}, {@code @cert-authority}). A host certificate signed by a
 * {@code @cert-authority} for the host passes when it is valid for it ({@link HostCertificates}); one whose
 * authority is not trusted is checked as its plain key, as OpenSSH retries it.
 * A known, matching key passes. A changed key is always refused — there is no override. An unknown
 * key is refused unless the {@link Prompter} accepts its SHA256 fingerprint; an accepted key is
 * <em>appended</em> to the first UserKnownHostsFile, never rewriting the file.
 */
public final class KnownHostsVerifier implements HostKeyVerifier {
    private static final Object APPEND_LOCK = new Object();
    private static final Path GLOBAL = Path.of("/etc/ssh/ssh_known_hosts");
    /** How OpenSSH names a certificate key type or algorithm: {@code <plain>-cert-v01@openssh.com}. */
    private static final String CERT_SUFFIX = "-cert-v01@openssh.com";

    private final SshSettings settings;
    private final Prompter prompter;
    private final boolean hashNewEntries;
    private volatile SshException failure;

    public KnownHostsVerifier(SshSettings settings, Prompter prompter, boolean hashNewEntries) {
        this.settings = settings;
        this.prompter = prompter;
        this.hashNewEntries = hashNewEntries;
    }

    /** Why the last verification failed, or null. */
    public SshException failure() {
        return failure;
    }

    @Override
    public boolean verify(String hostnameIgnored, int portIgnored, PublicKey offered) {
        String name = lookupName();
        List<OpenSSHKnownHosts.KnownHostEntry> entries = load();
        PublicKey key = offered;
        if (offered instanceof Certificate<?> cert) {
            // compared as blobs, parsed only for messages: a CA key type sshj cannot read is no reason to refuse a
            // certificate whose authority is not trusted anyway
            byte[] ca = cert.getSignatureKey();
            if (revoked(entries, ca, name, "the certificate authority that signed the host certificate of ")) {
                return false;
            }
            if (trustsAuthority(entries, name, ca)) {
                String problem = HostCertificates.problem(cert, hostOf(name));
                if (problem == null) {
                    return !revoked(entries, HostKeys.blob(cert.getKey()), name, "the host key (certified) of ");
                }
                failure = new SshException(SshException.Kind.HOST_CERTIFICATE_INVALID, "the host certificate of " + name
                        + " (" + HostKeys.type(cert.getKey()) + " " + HostKeys.sha256Fingerprint(cert.getKey()) + ", signed by "
                        + describe(ca) + ", a @cert-authority in known_hosts) is not valid: " + problem
                        + "; refusing to connect");
                return false;
            }
            // OpenSSH: "No matching CA found. Retry with plain key" -- the certified key is checked and saved as a
            // plain one, and only when HostKeyAlgorithms allows a plain key of its type (sshconnect.c, 9.8+): a config
            // that lists certificate algorithms only trusts hosts through an authority
            key = cert.getKey();
            if (!plainAllowed(HostKeys.type(key))) {
                failure = new SshException(SshException.Kind.HOST_KEY_UNKNOWN, "the host certificate of " + name + " is"
                        + " signed by an authority known_hosts does not trust (" + describe(ca) + "), and"
                        + " HostKeyAlgorithms allows no plain " + HostKeys.type(key) + " key; refusing to connect");
                return false;
            }
        }
        String fingerprint = HostKeys.sha256Fingerprint(key);
        String type = HostKeys.type(key);
        if (revoked(entries, HostKeys.blob(key), name, "the host key of ")) {
            return false;
        }
        boolean knownForHost = false;
        for (OpenSSHKnownHosts.KnownHostEntry e : entries) {
            try {
                String line = e.getLine() == null ? "" : e.getLine().strip();
                if (line.startsWith("@") || !(e instanceof OpenSSHKnownHosts.HostEntry)) {
                    continue;
                }
                if (applies(e, line, name)) {
                    knownForHost = true;
                    if (e.verify(key)) {
                        return true;
                    }
                }
            } catch (IOException | RuntimeException ex) {
                // an unreadable line never matches
            }
        }
        if (knownForHost) {
            HostKeyMismatch m = locate(name, type, fingerprint);
            failure = new SshException(SshException.Kind.HOST_KEY_CHANGED, "WARNING: the host key of " + name
                    + " has CHANGED (now " + type + " " + fingerprint + (m == null ? "" : "; " + m.knownHostsFile() + " line "
                    + m.line() + " has " + m.knownType() + " " + m.knownFingerprint()) + "). Someone may be intercepting the"
                    + " connection, or the host was reinstalled. Headroom refuses to connect; if the change is expected,"
                    + " remove the old entry with: " + (m == null ? "ssh-keygen -R '" + name + "'" : m.removeCommand()));
            if (m != null) {
                prompter.hostKeyChanged(m);
            }
            return false;
        }
        String strict = settings.strictHostKeyChecking();
        Prompter.HostKeyDecision decision;
        // ssh -G prints yes/no as true/false
        if ("yes".equals(strict) || "true".equals(strict)) {
            decision = Prompter.HostKeyDecision.REJECT;
        } else if ("accept-new".equals(strict) || "no".equals(strict) || "false".equals(strict) || "off".equals(strict)) {
            decision = Prompter.HostKeyDecision.ACCEPT_AND_SAVE;
        } else {
            decision = prompter.unknownHostKey(name, type, fingerprint);
        }
        switch (decision) {
            case ACCEPT_ONCE:
                return true;
            case ACCEPT_AND_SAVE:
                try {
                    append(name, key);
                    return true;
                } catch (IOException ex) {
                    failure = new SshException(SshException.Kind.HOST_KEY_UNKNOWN, "accepted the key of " + name
                            + " but could not save it to " + settings.userKnownHostsFiles().get(0) + ": " + ex.getMessage());
                    return false;
                }
            default:
                failure = new SshException(SshException.Kind.HOST_KEY_UNKNOWN, "the host key of " + name
                        + " is not in known_hosts (" + type + " " + fingerprint + "). Check the fingerprint with the VM's"
                        + " owner, then accept it (--accept-new in the CLI) or add it with ssh-keyscan.");
                return false;
        }
    }

    /**
     * Whether a @revoked line holds the key whose blob is {@code key}; a line holding a certificate revokes its
     * key (OpenSSH compares plain public keys, sshkey_equal_public). It wins over any other line, wherever it
     * stands (check_key_in_hostkeys).
     */
    private boolean revoked(List<OpenSSHKnownHosts.KnownHostEntry> entries, byte[] key, String name, String what) {
        for (OpenSSHKnownHosts.KnownHostEntry e : entries) {
            String line = e.getLine() == null ? "" : e.getLine().strip();
            if (line.startsWith("@revoked") && java.util.Arrays.equals(plainBlobOf(line), key)) {
                failure = new SshException(SshException.Kind.HOST_KEY_REVOKED, what + name + " (" + describe(key)
                        + ") is marked @revoked in known_hosts; refusing to connect");
                return true;
            }
        }
        return false;
    }

    /** Whether a {@code @cert-authority} line for this host holds the key whose blob is {@code ca}. */
    private static boolean trustsAuthority(List<OpenSSHKnownHosts.KnownHostEntry> entries, String name, byte[] ca) {
        for (OpenSSHKnownHosts.KnownHostEntry e : entries) {
            try {
                String line = e.getLine() == null ? "" : e.getLine().strip();
                if (line.startsWith("@cert-authority") && java.util.Arrays.equals(plainBlobOf(line), ca) && applies(e, line, name)) {
                    return true;
                }
            } catch (IOException | RuntimeException ex) {
                // an unreadable line never matches
            }
        }
        return false;
    }

    /** The plain key blob of a marker line ({@code @marker hosts type base64}), a certificate's key for a certificate; null when unreadable. */
    private static byte[] plainBlobOf(String line) {
        try {
            String[] parts = line.split("\\s+");
            if (parts.length < 4) {
                return null;
            }
            byte[] blob = Base64.getDecoder().decode(parts[3]);
            if (!parts[2].endsWith(CERT_SUFFIX)) {
                return blob;
            }
            PublicKey k = new Buffer.PlainBuffer(blob).readPublicKey();
            return k instanceof Certificate<?> c ? HostKeys.blob(c.getKey()) : null;
        } catch (Buffer.BufferException | RuntimeException e) {
            return null;
        }
    }

    /** Whether HostKeyAlgorithms (ssh -G) has an algorithm that signs with a plain key of this known_hosts type. */
    private boolean plainAllowed(String keyType) {
        if (settings.algorithms() == null) {
            return true;
        }
        List<String> allowed = settings.algorithms().hostKeys();
        return signatureAlgorithms(keyType).stream().anyMatch(allowed::contains);
    }

    /** The host name a certificate's principals must list: the known_hosts name without {@code [ ]:port}. */
    static String hostOf(String name) {
        int close = name.indexOf("]:");
        return name.startsWith("[") && close > 0 ? name.substring(1, close) : name;
    }

    /**
     * The host key algorithms that sign with a known_hosts key type. sshj puts the algorithms named here first
     * (as OpenSSH prefers the key types it already knows for a host), matching them by name: an RSA key is
     * "ssh-rsa" in known_hosts, but OpenSSH ≥ 8.8 and Headroom (decision 0043) sign with rsa-sha2-512/256. Without
     * them, a host known by its RSA key that also has an Ed25519 key negotiated Ed25519 and was reported as a
     * CHANGED key, where {@code ssh} connects.
     */
    static List<String> signatureAlgorithms(String keyType) {
        return keyType.equals("ssh-rsa") ? List.of("rsa-sha2-512", "rsa-sha2-256", "ssh-rsa") : List.of(keyType);
    }

    @Override
    public List<String> findExistingAlgorithms(String hostname, int port) {
        String name = lookupName();
        List<String> algorithms = new ArrayList<>();
        for (OpenSSHKnownHosts.KnownHostEntry e : load()) {
            try {
                String line = e.getLine() == null ? "" : e.getLine().strip();
                if (e instanceof OpenSSHKnownHosts.HostEntry && !line.startsWith("@") && applies(e, line, name)) {
                    algorithms.addAll(signatureAlgorithms(e.getType().toString()));
                } else if (line.startsWith("@cert-authority") && e instanceof OpenSSHKnownHosts.HostEntry
                        && settings.algorithms() != null && applies(e, line, name)) {
                    // a trusted authority for the host: its certificates first, as OpenSSH's order_hostkeyalgs
                    // (a stale plain line would otherwise win and be reported as CHANGED where ssh accepts)
                    algorithms.addAll(0, settings.algorithms().hostKeys().stream().filter(a -> a.endsWith(CERT_SUFFIX)).toList());
                }
            } catch (IOException | RuntimeException ex) {
                // skip
            }
        }
        return algorithms;
    }

    /**
     * Whether a host line names {@code name}: hashed entries through sshj, host lists as {@link #hostListApplies}.
     * The hosts are the first field, or the second after a marker ({@code @cert-authority}, {@code @revoked}).
     */
    private static boolean applies(OpenSSHKnownHosts.KnownHostEntry e, String line, String name) throws IOException {
        String hosts = line.split("\\s+", 3)[line.startsWith("@") ? 1 : 0];
        return hosts.startsWith("|") ? e.appliesTo(name) : hostListApplies(hosts, name);
    }

    /**
     * OpenSSH's match_hostname on a comma-separated pattern list ({@code *} and {@code ?} wildcards, case-insensitive):
     * a matching {@code !pattern} excludes the line even when another pattern matched (sshd(8), SSH_KNOWN_HOSTS).
     */
    static boolean hostListApplies(String hostList, String name) {
        boolean positive = false;
        for (String p : hostList.split(",")) {
            boolean negated = p.startsWith("!");
            if (globMatches(negated ? p.substring(1) : p, name)) {
                if (negated) {
                    return false;
                }
                positive = true;
            }
        }
        return positive;
    }

    private static boolean globMatches(String pattern, String s) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toLowerCase(Locale.ROOT).toCharArray()) {
            re.append(c == '*' ? ".*" : c == '?' ? "." : java.util.regex.Pattern.quote(String.valueOf(c)));
        }
        return s.toLowerCase(Locale.ROOT).matches(re.toString());
    }

    /**
     * The name looked up in known_hosts: HostKeyAlias verbatim when set (sshconnect.c check_host_key
     * uses the alias instead of the host[:port]), else {@link #adjusted}.
     */
    private String lookupName() {
        return settings.hostKeyAlias() != null ? settings.hostKeyAlias().toLowerCase(Locale.ROOT)
                : adjusted(settings.hostname(), settings.port());
    }

    /** {@code host} for port 22, {@code [host]:port} otherwise, lower-case (OpenSSH's put_host_port). */
    static String adjusted(String host, int port) {
        String h = host.toLowerCase(Locale.ROOT);
        return port == 22 ? h : "[" + h + "]:" + port;
    }

    private List<OpenSSHKnownHosts.KnownHostEntry> load() {
        List<OpenSSHKnownHosts.KnownHostEntry> all = new ArrayList<>();
        List<Path> files = new ArrayList<>(settings.userKnownHostsFiles());
        files.add(GLOBAL);
        for (Path f : files) {
            try {
                if (Files.isRegularFile(f)) {
                    String text = Files.readString(f, StandardCharsets.UTF_8);
                    all.addAll(new OpenSSHKnownHosts(new StringReader(text)).entries());
                }
            } catch (IOException | RuntimeException e) {
                // unreadable file: nothing known from it
            }
        }
        return all;
    }

    /**
     * The first known_hosts line that names the host (plain or hashed, no marker), with the
     * fingerprint of its key; each line is parsed on its own so the line number is exact.
     */
    private HostKeyMismatch locate(String name, String offeredType, String offeredFingerprint) {
        List<Path> files = new ArrayList<>(settings.userKnownHostsFiles());
        files.add(GLOBAL);
        for (Path f : files) {
            List<String> lines;
            try {
                if (!Files.isRegularFile(f)) {
                    continue;
                }
                lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                continue;
            }
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#") || line.startsWith("@")) {
                    continue;
                }
                try {
                    for (OpenSSHKnownHosts.KnownHostEntry e : new OpenSSHKnownHosts(new StringReader(line)).entries()) {
                        if (e instanceof OpenSSHKnownHosts.HostEntry && e.appliesTo(name)) {
                            String[] parts = line.split("\\s+");
                            return new HostKeyMismatch(name, offeredType, offeredFingerprint, parts[1],
                                    HostKeys.sha256Fingerprint(Base64.getDecoder().decode(parts[2])), f, i + 1);
                        }
                    }
                } catch (IOException | RuntimeException ex) {
                    // an unreadable line never matches
                }
            }
        }
        return null;
    }

    /** {@code type SHA256:…} of a key blob, as messages name keys. */
    private static String describe(byte[] blob) {
        String type;
        try {
            type = new Buffer.PlainBuffer(blob).readString();
        } catch (Buffer.BufferException | RuntimeException e) {
            type = "unknown";
        }
        return type.replaceAll("[^A-Za-z0-9@._-]", "?") + " " + HostKeys.sha256Fingerprint(blob);
    }

    private void append(String name, PublicKey key) throws IOException {
        Path file = settings.userKnownHostsFiles().get(0);
        String host = hashNewEntries ? hash(name) : name;
        String line = host + " " + HostKeys.keyText(key) + "\n";
        synchronized (APPEND_LOCK) {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            // keep a file that does not end in a newline from gluing two entries together
            byte[] existing = Files.readAllBytes(file);
            String prefix = existing.length > 0 && existing[existing.length - 1] != '\n' ? "\n" : "";
            Files.writeString(file, prefix + line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        }
    }

    /** OpenSSH's hashed host: {@code |1|base64(salt)|base64(HMAC-SHA1(salt, host))}. */
    static String hash(String host) {
        try {
            byte[] salt = new byte[20];
            new SecureRandom().nextBytes(salt);
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(salt, "HmacSHA1"));
            byte[] h = mac.doFinal(host.getBytes(StandardCharsets.UTF_8));
            Base64.Encoder b64 = Base64.getEncoder();
            return "|1|" + b64.encodeToString(salt) + "|" + b64.encodeToString(h);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
