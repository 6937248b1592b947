package io.headroom.ssh.mina;

import io.headroom.ssh.SshConnector;
import io.headroom.ssh.SshException;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.keyboard.InteractiveChallenge;
import org.apache.sshd.server.auth.keyboard.KeyboardInteractiveAuthenticator;
import org.apache.sshd.server.session.ServerSession;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Password and keyboard-interactive authentication through the {@link io.headroom.ssh.Prompter}. */
class PasswordAndKeyboardInteractiveTest extends MinaTest {
    @Test
    void passwordAskedOnceWithUserAtHostAndSucceeds() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        SshServer s = fx.passwordServer(MinaFixture.ecKeyPair(), srv -> srv.setPasswordAuthenticator((u, p, session) -> {
            attempts.incrementAndGet();
            return MinaFixture.USER.equals(u) && MinaFixture.PASSWORD.equals(p);
        }));
        SshConnector connector = fx.connector(fx.config(s.getPort()), prompter);
        try (SshConnector.Connection c = connector.connect("tgt")) {
            assertTrue(c.alive());
        }
        assertEquals(List.of("password user@127.0.0.1"), prompter.callsStartingWith("password"));
        assertEquals(1, attempts.get());
    }

    @Test
    void wrongPasswordIsAuthFailedWithPlainMessage() throws Exception {
        prompter.password = "wrong";
        SshServer s = fx.passwordServer(MinaFixture.ecKeyPair(), srv -> { });
        SshConnector connector = fx.connector(fx.config(s.getPort()), prompter);
        SshException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(SshException.class, () -> connector.connect("tgt")));
        assertEquals(SshException.Kind.AUTH_FAILED, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("authentication failed for user@127.0.0.1"), e.getMessage());
        assertFalse(e.getMessage().contains("wrong"), "the secret must not appear in the message: " + e.getMessage());
        assertFalse(e.getMessage().contains("Exception"), "plain words, no class names: " + e.getMessage());
        assertEquals(1, prompter.callsStartingWith("password").size(), prompter.calls.toString());
    }

    @Test
    void prompterGivingUpIsAuthFailedWithoutHanging() throws Exception {
        prompter.password = null;
        SshServer s = fx.passwordServer(MinaFixture.ecKeyPair(), srv -> { });
        SshConnector connector = fx.connector(fx.config(s.getPort()), prompter);
        long t0 = System.nanoTime();
        SshException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(SshException.class, () -> connector.connect("tgt")));
        assertEquals(SshException.Kind.AUTH_FAILED, e.kind(), e.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).toMillis() < 5000, "gave up promptly");
        assertEquals(1, prompter.callsStartingWith("password").size(), prompter.calls.toString());
    }

    @Test
    void prompterGivingUpWithServerDefaultKeyboardInteractiveDoesNotHang() throws Exception {
        // MINA's default keyboard-interactive authenticator asks "Password:" through the password authenticator
        prompter.password = null;
        SshServer s = fx.passwordServer(MinaFixture.ecKeyPair(), srv -> {
            srv.setKeyboardInteractiveAuthenticator(
                    new org.apache.sshd.server.auth.keyboard.DefaultKeyboardInteractiveAuthenticator());
            srv.setUserAuthFactories(null); // MINA's default: password and keyboard-interactive
        });
        SshConnector connector = fx.connector(fx.config(s.getPort()), prompter);
        SshException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(SshException.class, () -> connector.connect("tgt")));
        assertEquals(SshException.Kind.AUTH_FAILED, e.kind(), e.getMessage());
        assertTrue(prompter.callsStartingWith("kbd").size() <= 1, "at most one keyboard-interactive round: " + prompter.calls);
    }

    @Test
    void passwordHandedToConnectorIsWipedAfterUse() throws Exception {
        // Prompter's contract: "Returned secrets are used once and wiped"
        SshServer s = fx.passwordServer(MinaFixture.ecKeyPair(), srv -> { });
        SshConnector connector = fx.connector(fx.config(s.getPort()), prompter);
        try (SshConnector.Connection c = connector.connect("tgt")) {
            assertTrue(c.alive());
        }
        assertFalse(prompter.handedOut.isEmpty());
        assertTrue(prompter.allSecretsWiped(), "the char[] returned by Prompter.password was not wiped");
    }

    @Test
    void keyboardInteractiveTwoPromptsWithEchoFlags() throws Exception {
        List<String> answers = new java.util.concurrent.CopyOnWriteArrayList<>();
        KeyboardInteractiveAuthenticator kia = new KeyboardInteractiveAuthenticator() {
            @Override
            public InteractiveChallenge generateChallenge(ServerSession session, String username, String lang,
                                                          String subMethods) {
                InteractiveChallenge c = new InteractiveChallenge();
                c.setInteractionName("2FA");
                c.setInteractionInstruction("answer both");
                c.addPrompt("Account: ", true);
                c.addPrompt("Token: ", false);
                return c;
            }

            @Override
            public boolean authenticate(ServerSession session, String username, List<String> responses) {
                answers.addAll(responses);
                return MinaFixture.USER.equals(username) && responses.equals(List.of("acct-7", "123456"));
            }
        };
        SshServer s = fx.server(MinaFixture.ecKeyPair(), srv -> srv.setKeyboardInteractiveAuthenticator(kia));
        prompter.kbd = (prompt, echo) -> prompt.startsWith("Account") ? "acct-7" : "123456";
        SshConnector connector = fx.connector(fx.config(s.getPort()), prompter);
        try (SshConnector.Connection c = connector.connect("tgt")) {
            assertTrue(c.alive());
        }
        assertEquals(List.of(
                        "kbd user@127.0.0.1 [Account: ] echo=true",
                        "kbd user@127.0.0.1 [Token: ] echo=false"),
                prompter.callsStartingWith("kbd"));
        assertEquals(List.of("acct-7", "123456"), answers);
        assertTrue(prompter.callsStartingWith("password").isEmpty(), "server offers no password method");
    }

    @Test
    void keyboardInteractiveWrongAnswerIsAuthFailed() throws Exception {
        KeyboardInteractiveAuthenticator kia = new KeyboardInteractiveAuthenticator() {
            @Override
            public InteractiveChallenge generateChallenge(ServerSession session, String username, String lang,
                                                          String subMethods) {
                InteractiveChallenge c = new InteractiveChallenge();
                c.addPrompt("Token: ", false);
                return c;
            }

            @Override
            public boolean authenticate(ServerSession session, String username, List<String> responses) {
                return false;
            }
        };
        SshServer s = fx.server(MinaFixture.ecKeyPair(), srv -> srv.setKeyboardInteractiveAuthenticator(kia));
        prompter.kbd = (prompt, echo) -> "nope";
        SshConnector connector = fx.connector(fx.config(s.getPort()), prompter);
        SshException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(SshException.class, () -> connector.connect("tgt")));
        assertEquals(SshException.Kind.AUTH_FAILED, e.kind(), e.getMessage());
    }

    @Test
    void userTypingThePasswordSlowerThanConnectTimeoutIsNotCutOff() throws Exception {
        // ConnectTimeout bounds the network, not the human: OpenSSH waits at its password prompt indefinitely.
        SshServer s = fx.passwordServer(MinaFixture.ecKeyPair(), srv -> { });
        prompter.thinkMillis = 4500; // > ConnectTimeout 1 s + 2 s watchdog
        prompter.slowPrompts = java.util.Set.of("password");
        SshConnector connector = fx.connector(fx.config(s.getPort(), "ConnectTimeout 1"), prompter);
        SshException failure = null;
        try (SshConnector.Connection c = connector.connect("tgt")) {
            assertTrue(c.alive());
        } catch (SshException e) {
            failure = e;
        }
        assertEquals(null, failure == null ? null : MinaFixture.describe(failure),
                "a 4.5 s pause at the password prompt killed the connection; calls=" + prompter.calls);
    }

    @Test
    void userCheckingTheFingerprintSlowerThanConnectTimeoutIsNotCutOff() throws Exception {
        SshServer s = fx.passwordServer(MinaFixture.ecKeyPair(), srv -> { });
        prompter.thinkMillis = 4500;
        prompter.slowPrompts = java.util.Set.of("hostkey");
        SshConnector connector = fx.connector(fx.config(s.getPort(), "ConnectTimeout 1"), prompter);
        SshException failure = null;
        try (SshConnector.Connection c = connector.connect("tgt")) {
            assertTrue(c.alive());
        } catch (SshException e) {
            failure = e;
        }
        assertEquals(null, failure == null ? null : MinaFixture.describe(failure),
                "a 4.5 s look at the host key fingerprint killed the connection; calls=" + prompter.calls);
    }

    @Test
    void keyboardInteractiveRefusedWithoutChallengeIsNotRetriedUntilTheServerGivesUp() throws Exception {
        // RFC 4256 lets a server answer a keyboard-interactive request with FAILURE and no INFO_REQUEST
        // (e.g. sshd with no usable challenge device). The client must move on, not re-send the request
        // until the server's MaxAuthTries disconnects it.
        AtomicInteger kbdRequests = new AtomicInteger();
        AtomicInteger passwordRequests = new AtomicInteger();
        SshServer s = fx.server(MinaFixture.ecKeyPair(), srv -> {
            srv.setPasswordAuthenticator((u, p, session) -> {
                passwordRequests.incrementAndGet();
                return MinaFixture.USER.equals(u) && MinaFixture.PASSWORD.equals(p);
            });
            srv.setKeyboardInteractiveAuthenticator(new KeyboardInteractiveAuthenticator() {
                @Override
                public InteractiveChallenge generateChallenge(ServerSession session, String username, String lang,
                                                              String subMethods) {
                    kbdRequests.incrementAndGet();
                    return null; // no challenge: MINA answers FAILURE
                }

                @Override
                public boolean authenticate(ServerSession session, String username, List<String> responses) {
                    return false;
                }
            });
            srv.setUserAuthFactories(List.of(
                    org.apache.sshd.server.auth.keyboard.UserAuthKeyboardInteractiveFactory.INSTANCE,
                    org.apache.sshd.server.auth.password.UserAuthPasswordFactory.INSTANCE));
        });
        prompter.password = "wrong";
        SshConnector connector = fx.connector(fx.config(s.getPort()), prompter);
        SshException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(SshException.class, () -> connector.connect("tgt")));
        assertTrue(kbdRequests.get() <= 2, "keyboard-interactive requests sent: " + kbdRequests.get());
        assertEquals(1, passwordRequests.get(), "the password was tried");
        assertEquals(SshException.Kind.AUTH_FAILED, e.kind(), MinaFixture.describe(e));
    }
}
