package io.headroom.ssh;

import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;

/** Host key helpers: OpenSSH's SHA256 fingerprint and the known_hosts key text. */
public final class HostKeys {
    private HostKeys() {
    }

    /** {@code SHA256:<base64 without padding>} of the key blob, as {@code ssh-keygen -lf} prints it. */
    public static String sha256Fingerprint(PublicKey key) {
        return sha256Fingerprint(blob(key));
    }

    /** {@code SHA256:<base64 without padding>} of a key blob (as decoded from a known_hosts line). */
    public static String sha256Fingerprint(byte[] blob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key type name, e.g. {@code ssh-ed25519}. */
    public static String type(PublicKey key) {
        return KeyType.fromKey(key).toString();
    }

    /** {@code <type> <base64 blob>} as in known_hosts. */
    public static String keyText(PublicKey key) {
        return type(key) + " " + Base64.getEncoder().encodeToString(blob(key));
    }

    static byte[] blob(PublicKey key) {
        return new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
    }
}
