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
 * @param proxyJump             ProxyJump hops, each {@code [user@]host[:port]} (empty: direct)
 * @param hostKeyAlias          HostKeyAlias, or null
 * @param userKnownHostsFiles   UserKnownHostsFile entries
 * @param strictHostKeyChecking yes / accept-new / no / ask
 * @param connectTimeout        ConnectTimeout (or Headroom's default)
 * @param serverAliveInterval   ServerAliveInterval in seconds (0 = Headroom's default keep-alive)
 */
public record SshSettings(
        String target,
        String hostname,
        String user,
        int port,
        List<Path> identityFiles,
        boolean identitiesOnly,
        List<String> proxyJump,
        String hostKeyAlias,
        List<Path> userKnownHostsFiles,
        String strictHostKeyChecking,
        Duration connectTimeout,
        int serverAliveInterval) {

    public SshSettings {
        identityFiles = List.copyOf(identityFiles);
        proxyJump = List.copyOf(proxyJump);
        userKnownHostsFiles = List.copyOf(userKnownHostsFiles);
    }

    /** The name known_hosts is checked against (HostKeyAlias or HostName). */
    public String hostKeyName() {
        return hostKeyAlias != null ? hostKeyAlias : hostname;
    }
}
