package io.headroom.ssh;

import com.hierynomus.sshj.key.KeyAlgorithm;
import com.hierynomus.sshj.key.KeyAlgorithms;
import net.schmizz.sshj.Config;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.common.Factory;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.signature.Signature;
import net.schmizz.sshj.signature.SignatureRSA;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * sshj configurations restricted to the algorithms OpenSSH would use for a target ({@link SshAlgorithms}), in
 * its order. One configuration per distinct set of lists, shared by every client that has it: building one runs
 * {@code DefaultConfig}'s constructor (~150 algorithm factories, each checked against the JCE), and clients only
 * read it (decision 0038). A fleet normally has one set, the OpenSSH defaults.
 */
final class SshjConfigs {
    /** sshj's pseudo key exchange that asks the server for server-sig-algs (RFC 8308); OpenSSH's client sends it too. */
    static final String EXT_INFO = "ext-info-c";

    /**
     * RSA certificates signed with SHA-2 (OpenSSH 7.8+, PROTOCOL.certkeys), which sshj 0.40 lacks: it knows an RSA
     * certificate only as ssh-rsa-cert-v01 (SHA-1), which OpenSSH's client no longer offers and its servers (8.8+)
     * refuse. Without these, an RSA user certificate loaded from a file (KEY-cert.pub beside KEY) had no algorithm
     * at all once the lists follow ssh -G (decision 0043). The key and the certificate blob are the same as
     * ssh-rsa-cert-v01's; only the signature differs (RFC 8332), and sshj's RSA signature unwraps a certificate
     * to verify with its key.
     */
    static final List<KeyAlgorithms.Factory> RSA_SHA2_CERTIFICATES = List.of(
            rsaCertificate("rsa-sha2-512-cert-v01@openssh.com", "SHA512withRSA", "rsa-sha2-512"),
            rsaCertificate("rsa-sha2-256-cert-v01@openssh.com", "SHA256withRSA", "rsa-sha2-256"));

    private static final Map<SshAlgorithms, Config> CONFIGS = new ConcurrentHashMap<>();

    private SshjConfigs() {
    }

    /**
     * @throws SshException (CONFIG) when a list has no algorithm sshj implements, naming the option to change
     */
    static Config of(SshAlgorithms a) throws SshException {
        Config c = CONFIGS.get(a);
        if (c != null) {
            return c;
        }
        DefaultConfig d = new DefaultConfig();
        List<Factory.Named<net.schmizz.sshj.transport.kex.KeyExchange>> kex = pick(d.getKeyExchangeFactories(), a.kex(), "KexAlgorithms");
        d.getKeyExchangeFactories().stream().filter(f -> f.getName().equals(EXT_INFO)).forEach(kex::add);
        d.setKeyExchangeFactories(kex);
        d.setCipherFactories(pick(d.getCipherFactories(), a.ciphers(), "Ciphers"));
        d.setMACFactories(pick(d.getMACFactories(), a.macs(), "MACs"));
        List<Factory.Named<KeyAlgorithm>> keys = new ArrayList<>(d.getKeyAlgorithms());
        keys.addAll(RSA_SHA2_CERTIFICATES);
        d.setKeyAlgorithms(pick(keys, a.hostKeys(), "HostKeyAlgorithms"));
        // a host certificate is checked by KnownHostsVerifier as OpenSSH checks it (HostCertificates): only when the
        // user trusts its authority, else as its plain key; sshj's own check failed the connection either way
        d.setVerifyHostKeyCertificates(false);
        Config raced = CONFIGS.putIfAbsent(a, d);
        return raced != null ? raced : d;
    }

    private static KeyAlgorithms.Factory rsaCertificate(String algorithm, String jce, String signatureName) {
        Factory.Named<Signature> signature = new Factory.Named<>() {
            @Override
            public Signature create() {
                return new SignatureRSA(jce, KeyType.RSA_CERT, signatureName);
            }

            @Override
            public String getName() {
                return signatureName;
            }
        };
        return new KeyAlgorithms.Factory(algorithm, signature, KeyType.RSA_CERT);
    }

    /** The factories of {@code available} named in {@code wanted}, in the order of {@code wanted}. */
    static <T extends Factory.Named<?>> List<T> pick(List<T> available, List<String> wanted, String option) throws SshException {
        List<T> out = new ArrayList<>();
        for (String name : wanted) {
            for (T f : available) {
                if (f.getName().equals(name)) {
                    out.add(f);
                }
            }
        }
        if (out.isEmpty()) {
            throw new SshException(SshException.Kind.CONFIG, "none of the " + option + " that ssh -G gives (" + String.join(",", wanted)
                    + ") is one Headroom's SSH library implements (" + String.join(",", names(available)) + ")");
        }
        return out;
    }

    static List<String> names(List<? extends Factory.Named<?>> factories) {
        return factories.stream().map(Factory.Named::getName).toList();
    }
}
