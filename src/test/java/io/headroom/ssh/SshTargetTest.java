package io.headroom.ssh;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SshTargetTest {
    @Test
    void forms() {
        assertEquals(new SshTarget("vm1", null, "vm1", null), SshTarget.parse("vm1"));
        assertEquals(new SshTarget("root@10.0.0.1:2222", "root", "10.0.0.1", 2222), SshTarget.parse("root@10.0.0.1:2222"));
        assertEquals(new SshTarget("u@[::1]:22", "u", "::1", 22), SshTarget.parse("u@[::1]:22"));
        assertEquals(new SshTarget("fe80::1", null, "fe80::1", null), SshTarget.parse("fe80::1"));
        assertEquals(new SshTarget("root@[127.0.0.1]:3333", "root", "127.0.0.1", 3333), SshTarget.parse("root@[127.0.0.1]:3333"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "a b", "-oProxyCommand=x", "h:0", "h:70000", "h:x", "@h", "u@", "h;id", "$(id)", "`id`", "[::1", "'h'"})
    void rejectedWithAReason(String bad) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SshTarget.parse(bad));
        assertTrue(e.getMessage().length() > 5);
    }

    @Test
    void sshDashGOutputIsRead() {
        String out = """
                user ubuntu
                hostname 10.1.2.3
                port 2222
                identityfile ~/.ssh/id_ed25519
                identityfile /keys/other
                identitiesonly yes
                certificatefile ~/.ssh/vault-signed.pub
                proxyjump admin@[bastion]:22,second
                stricthostkeychecking accept-new
                userknownhostsfile ~/.ssh/known_hosts ~/.ssh/known_hosts2
                connecttimeout 7
                serveraliveinterval 30
                hostkeyalias vm-alias
                """;
        SshSettings s = SshConfigResolver.parse("vm", out);
        String home = System.getProperty("user.home");
        assertEquals("10.1.2.3", s.hostname());
        assertEquals("ubuntu", s.user());
        assertEquals(2222, s.port());
        assertEquals(List.of(Path.of(home, ".ssh/id_ed25519"), Path.of("/keys/other")), s.identityFiles());
        assertTrue(s.identitiesOnly());
        assertEquals(List.of(Path.of(home, ".ssh/vault-signed.pub")), s.certificateFiles());
        assertEquals(List.of("admin@[bastion]:22", "second"), s.proxyJump());
        assertEquals("accept-new", s.strictHostKeyChecking());
        assertEquals(List.of(Path.of(home, ".ssh/known_hosts"), Path.of(home, ".ssh/known_hosts2")), s.userKnownHostsFiles());
        assertEquals(Duration.ofSeconds(7), s.connectTimeout());
        assertEquals(30, s.serverAliveInterval());
        assertEquals("vm-alias", s.hostKeyName());
    }

    @Test
    void defaultsWhenSshDashGSaysNone() {
        SshSettings s = SshConfigResolver.parse("vm", "hostname vm\nproxyjump none\nconnecttimeout none\n");
        assertTrue(s.proxyJump().isEmpty());
        assertTrue(s.certificateFiles().isEmpty(), "ssh -G prints certificatefile only when one is set");
        assertNull(s.hostKeyAlias());
        assertEquals("vm", s.hostKeyName());
        assertEquals(22, s.port());
        assertNull(s.connectTimeout(), "no ConnectTimeout: the connector's default applies");
    }

    @Test
    void realSshDashGResolvesAnAlias() throws Exception {
        java.nio.file.Path cfg = java.nio.file.Files.createTempFile("ssh", ".cfg");
        java.nio.file.Files.writeString(cfg, "Host db\n  HostName 10.9.8.7\n  Port 2200\n  User dba\n  ProxyJump jump@gw\n");
        SshSettings s = new SshConfigResolver("ssh", cfg).resolve("db");
        assertEquals("10.9.8.7", s.hostname());
        assertEquals(2200, s.port());
        assertEquals("dba", s.user());
        assertEquals(List.of("jump@gw"), s.proxyJump());
        SshSettings over = new SshConfigResolver("ssh", cfg).resolve("other@db:2201", "j@k:2");
        assertEquals("other", over.user());
        assertEquals(2201, over.port());
        assertEquals(1, over.proxyJump().size());
        assertTrue(over.proxyJump().get(0).contains("k"), over.proxyJump().toString());
    }

    @Test
    void hashedHostMatchesOpenSshFormat() {
        String h = KnownHostsVerifier.hash("[127.0.0.1]:2222");
        assertTrue(h.matches("\\|1\\|[A-Za-z0-9+/=]{28}\\|[A-Za-z0-9+/=]{28}"), h);
        assertEquals("[vm]:2222", KnownHostsVerifier.adjusted("VM", 2222));
        assertEquals("vm", KnownHostsVerifier.adjusted("vm", 22));
    }
}
