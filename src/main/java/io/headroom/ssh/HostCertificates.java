package io.headroom.ssh;

import com.hierynomus.sshj.userauth.certificate.Certificate;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;

import java.util.List;

/**
 * The checks OpenSSH's client makes on a host certificate whose authority it trusts (sshconnect.c check_host_cert,
 * sshkey.c sshkey_cert_check_authority; PROTOCOL.certkeys). sshj checks certificates during the key exchange
 * against the address it connected to, whether or not the user trusts the authority, and fails the connection
 * where OpenSSH falls back to the plain key; Headroom turns that off ({@link SshjConfigs}) and checks here, for
 * trusted authorities only, against the name known_hosts is searched by (HostKeyAlias when set).
 */
final class HostCertificates {
    /** PROTOCOL.certkeys: SSH2_CERT_TYPE_HOST. */
    static final long HOST_TYPE = 2;

    /**
     * OpenSSH's default CASignatureAlgorithms (ssh_config(5), OpenSSH 8.2+): a certificate signed with
     * ssh-rsa (SHA-1) is refused.
     */
    static final List<String> CA_SIGNATURE_ALGORITHMS = List.of("ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
            "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com", "rsa-sha2-512",
            "rsa-sha2-256");

    private HostCertificates() {
    }

    /**
     * Why this certificate is not valid for {@code host} now, in words, or null when it is: a host (not a user)
     * certificate, no critical options, signed with an algorithm OpenSSH accepts from an authority, listing
     * {@code host} exactly among its principals (an empty list is refused, a pattern is not matched: the
     * stricter reading of OpenSSH's versions), within its validity period, and with a signature that verifies
     * with the authority's key.
     */
    static String problem(Certificate<?> cert, String host) {
        if (cert.getType() != HOST_TYPE) {
            return "it is a user certificate (type " + cert.getType() + "), not a host certificate";
        }
        if (cert.getCritOptions() != null && !cert.getCritOptions().isEmpty()) {
            return "it has critical options (" + String.join(",", cert.getCritOptions().keySet()) + "), which host"
                    + " certificates may not have";
        }
        String signedWith;
        try {
            signedWith = new Buffer.PlainBuffer(cert.getSignature()).readString();
        } catch (Buffer.BufferException | RuntimeException e) {
            return "its signature cannot be read";
        }
        if (!CA_SIGNATURE_ALGORITHMS.contains(signedWith)) {
            return "it is signed with " + sanitized(signedWith) + ", which OpenSSH does not accept from a certificate"
                    + " authority (CASignatureAlgorithms)";
        }
        List<String> principals = cert.getValidPrincipals() == null ? List.of() : cert.getValidPrincipals();
        if (principals.isEmpty()) {
            // sshj (and OpenSSH before 10.3) take an empty list as "any host": one such certificate would let its
            // holder pose as every host under the authority's pattern
            return "it lists no principals, so it names no host";
        }
        if (!principals.contains(host)) {
            // exact, as OpenSSH's client compares host principals (strcmp; wildcards only from OpenSSH 10.3)
            return "it is for " + sanitized(String.join(", ", principals.subList(0, Math.min(5, principals.size()))))
                    + (principals.size() > 5 ? " and " + (principals.size() - 5) + " more" : "") + ", not " + host;
        }
        try {
            String why = KeyType.CertUtils.verifyHostCertificate(HostKeys.blob(cert), cert, host);
            return why == null ? null : sanitized(why);
        } catch (Buffer.BufferException | RuntimeException e) {
            return "its signature cannot be checked (" + sanitized(String.valueOf(e.getMessage())) + ")";
        }
    }

    /** Remote text in a message: printable ASCII only, at most 200 characters. */
    private static String sanitized(String s) {
        String clean = s.replaceAll("[^\\x20-\\x7e]", "?");
        return clean.length() > 200 ? clean.substring(0, 200) + "..." : clean;
    }
}
