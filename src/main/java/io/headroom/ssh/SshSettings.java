package io.headroom.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How to reach one target, resolved with OpenSSH's own semantics.
 *
 * @param target                the target as given
 * @param hostname              HostName to connect to
 * @param user                  User
 * @param port                  Port
 * @param identityFiles         IdentityFile entries, in order (may not exist)
 * @param identitiesOnly        IdentitiesOnly
 * @param certificateFiles      CertificateFile entries, in order (may not exist): user certificates offered first,
 *                              signed by the agent or identity file holding their key
 * @param proxyJump             ProxyJump hops, each {@code [user@]host[:port]} (empty: direct)
 * @param hostKeyAlias          HostKeyAlias, or null
 * @param userKnownHostsFiles   UserKnownHostsFile entries
 * @param strictHostKeyChecking yes / accept-new / no / ask
 * @param connectTimeout        ConnectTimeout (or Headroom's default)
 * @param serverAliveInterval   ServerAliveInterval in seconds; {@code ssh -G} prints 0 when unset, and then
 *                              Headroom keeps {@link #DEFAULT_SERVER_ALIVE_INTERVAL} (a live window holds its
 *                              connections for hours)
 * @param serverAliveCountMax   ServerAliveCountMax: unanswered keep-alives before the connection is ended
 * @param algorithms            KexAlgorithms, Ciphers, MACs and HostKeyAlgorithms as {@code ssh -G} prints them
 */
public record SshSettings(
        String target,
        String hostname,
        String user,
        int port,
        List<Path> identityFiles,
        boolean identitiesOnly,
        List<Path> certificateFiles,
        List<String> proxyJump,
        String hostKeyAlias,
        List<Path> userKnownHostsFiles,
        String strictHostKeyChecking,
        Duration connectTimeout,
        int serverAliveInterval,
        int serverAliveCountMax,
        SshAlgorithms algorithms) {

    /** Seconds between keep-alives when the ssh config sets none. */
    public static final int DEFAULT_SERVER_ALIVE_INTERVAL = 15;

    public SshSettings {
        serverAliveInterval = serverAliveInterval > 0 ? serverAliveInterval : DEFAULT_SERVER_ALIVE_INTERVAL;
        serverAliveCountMax = serverAliveCountMax > 0 ? serverAliveCountMax : 3;
        identityFiles = List.copyOf(identityFiles);
        certificateFiles = List.copyOf(certificateFiles);
        proxyJump = List.copyOf(proxyJump);
        userKnownHostsFiles = List.copyOf(userKnownHostsFiles);
    }

    /** The name known_hosts is checked against (HostKeyAlias or HostName). */
    public String hostKeyName() {
        return hostKeyAlias != null ? hostKeyAlias : hostname;
    }
}
