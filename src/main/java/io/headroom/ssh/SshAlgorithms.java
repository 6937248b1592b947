package io.headroom.ssh;

import java.util.List;

/**
 * The algorithms a connection may negotiate, as the OpenSSH client would for the same target: {@code ssh -G}
 * prints the effective KexAlgorithms, Ciphers, MACs and HostKeyAlgorithms (the defaults, or what the user's
 * ssh_config made of them with {@code +}, {@code -} and {@code ^}). Each list is in preference order.
 * sshj's own defaults still offer arcfour, 3des-cbc, blowfish, hmac-md5, diffie-hellman-group1-sha1, ssh-rsa
 * (SHA-1) and ssh-dss, which OpenSSH dropped years ago (decision 0043).
 *
 * @param kex      KexAlgorithms
 * @param ciphers  Ciphers
 * @param macs     MACs
 * @param hostKeys HostKeyAlgorithms; sshj uses one list for host keys and for the signatures of client keys
 */
public record SshAlgorithms(List<String> kex, List<String> ciphers, List<String> macs, List<String> hostKeys) {

    /**
     * OpenSSH 9.2's client defaults (ssh_config(5), {@code myproposal.h}), exactly as {@code ssh -G} prints them
     * on Debian 12: used for a list {@code ssh -G} does not print.
     */
    public static final SshAlgorithms OPENSSH_DEFAULTS = new SshAlgorithms(
            List.of("sntrup761x25519-sha512@openssh.com", "curve25519-sha256", "curve25519-sha256@libssh.org",
                    "ecdh-sha2-nistp256", "ecdh-sha2-nistp384", "ecdh-sha2-nistp521", "diffie-hellman-group-exchange-sha256",
                    "diffie-hellman-group16-sha512", "diffie-hellman-group18-sha512", "diffie-hellman-group14-sha256"),
            List.of("chacha20-poly1305@openssh.com", "aes128-ctr", "aes192-ctr", "aes256-ctr", "aes128-gcm@openssh.com",
                    "aes256-gcm@openssh.com"),
            List.of("umac-64-etm@openssh.com", "umac-128-etm@openssh.com", "hmac-sha2-256-etm@openssh.com",
                    "hmac-sha2-512-etm@openssh.com", "hmac-sha1-etm@openssh.com", "umac-64@openssh.com", "umac-128@openssh.com",
                    "hmac-sha2-256", "hmac-sha2-512", "hmac-sha1"),
            List.of("ssh-ed25519-cert-v01@openssh.com", "ecdsa-sha2-nistp256-cert-v01@openssh.com",
                    "ecdsa-sha2-nistp384-cert-v01@openssh.com", "ecdsa-sha2-nistp521-cert-v01@openssh.com",
                    "sk-ssh-ed25519-cert-v01@openssh.com", "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com",
                    "rsa-sha2-512-cert-v01@openssh.com", "rsa-sha2-256-cert-v01@openssh.com", "ssh-ed25519", "ecdsa-sha2-nistp256",
                    "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
                    "rsa-sha2-512", "rsa-sha2-256"));

    public SshAlgorithms {
        kex = List.copyOf(kex);
        ciphers = List.copyOf(ciphers);
        macs = List.copyOf(macs);
        hostKeys = List.copyOf(hostKeys);
    }
}
