package io.headroom.ssh.agent;

import io.headroom.ssh.OpenSshServer;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.method.AuthMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.StringReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link AgentClient} and {@link AgentAuthMethod} against a real OpenSSH {@code ssh-agent} (keys added with
 * {@code ssh-add}) and a real {@code sshd}, plus a fake agent that misbehaves.
 */
class AgentAuthTest {
    /** Key name → ssh-keygen arguments; the comment is "agent-" + name. */
    private static final Map<String, List<String>> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("ed25519", List.of("-t", "ed25519"));
        KEYS.put("ecdsa", List.of("-t", "ecdsa", "-b", "256"));
        KEYS.put("rsa", List.of("-t", "rsa", "-b", "3072"));
    }

    private static Path dir;
    private static Path agentSocket;
    private static Process agent;
    private static Path emptyAgentSocket;
    private static Process emptyAgent;

    @BeforeAll
    static void startAgents() throws Exception {
        for (String tool : List.of("/usr/bin/ssh-agent", "/usr/bin/ssh-add", "/usr/bin/ssh-keygen")) {
            if (!Files.isExecutable(Path.of(tool))) {
                String why = "ssh-agent tests need " + tool + " (apt-get install openssh-client)";
                if ("true".equals(System.getenv("CI"))) {
                    Assertions.fail("CI requires: " + why);
                }
                Assumptions.abort(why);
            }
        }
        dir = Files.createTempDirectory("headroom-agent");
        for (Map.Entry<String, List<String>> key : KEYS.entrySet()) {
            List<String> cmd = new ArrayList<>(List.of("ssh-keygen", "-q", "-N", "", "-C", "agent-" + key.getKey(),
                    "-f", keyFile(key.getKey()).toString()));
            cmd.addAll(key.getValue());
            run(cmd, Map.of());
        }
        agentSocket = dir.resolve("agent.sock");
        agent = startAgent(agentSocket);
        for (String name : KEYS.keySet()) {
            run(List.of("ssh-add", keyFile(name).toString()), Map.of("SSH_AUTH_SOCK", agentSocket.toString()));
        }
        emptyAgentSocket = dir.resolve("empty.sock");
        emptyAgent = startAgent(emptyAgentSocket);
    }

    @AfterAll
    static void stopAgents() throws Exception {
        stop(agent);
        stop(emptyAgent);
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    // --- (a) listing ---------------------------------------------------------------------------------------

    @Test
    void listsExactlyTheAddedIdentitiesWithCommentsAndBlobs() throws Exception {
        try (AgentClient client = AgentClient.connect(agentSocket)) {
            List<AgentClient.Identity> identities = client.identities();
            assertEquals(KEYS.size(), identities.size(), identities.toString());
            List<String> names = new ArrayList<>(KEYS.keySet());
            for (int i = 0; i < names.size(); i++) {
                AgentClient.Identity identity = identities.get(i);
                assertEquals("agent-" + names.get(i), identity.comment());
                assertArrayEquals(pubBlob(names.get(i)), identity.keyBlob());
                assertEquals(pubType(names.get(i)), identity.keyType());
                assertTrue(keygenFingerprint(names.get(i)).contains(identity.fingerprint()));
                // toString is for messages: no base64 of the key
                assertFalse(identity.toString().contains(Base64.getEncoder().encodeToString(pubBlob(names.get(i)))));
            }
            // the connection is reusable
            assertEquals(identities, client.identities());
        }
    }

    @Test
    void emptyAgentListsNothing() throws Exception {
        try (AgentClient client = AgentClient.connect(emptyAgentSocket)) {
            assertEquals(List.of(), client.identities());
            assertEquals(List.of(), AgentAuthMethod.forAgent(client));
        }
    }

    @Test
    void signsRsaWithTheRequestedSha2Algorithm() throws Exception {
        byte[] data = "data to sign".getBytes(StandardCharsets.UTF_8);
        byte[] blob = pubBlob("rsa");
        PublicKey key = new Buffer.PlainBuffer(blob).readPublicKey();
        try (AgentClient client = AgentClient.connect(agentSocket)) {
            for (Object[] c : new Object[][] {
                    {AgentClient.SSH_AGENT_RSA_SHA2_256, "rsa-sha2-256", "SHA256withRSA"},
                    {AgentClient.SSH_AGENT_RSA_SHA2_512, "rsa-sha2-512", "SHA512withRSA"}}) {
                byte[] signature = client.sign(blob, data, (Integer) c[0]);
                Buffer.PlainBuffer b = new Buffer.PlainBuffer(signature);
                assertEquals(c[1], b.readString());
                Signature verifier = Signature.getInstance((String) c[2]);
                verifier.initVerify(key);
                verifier.update(data);
                assertTrue(verifier.verify(b.readBytes()), "signature verifies for " + c[1]);
            }
            byte[] ed = client.sign(pubBlob("ed25519"), data, 0);
            assertEquals("ssh-ed25519", AgentClient.signatureAlgorithm(ed));
        }
    }

    @Test
    void signWithKeyNotInAgentIsAClearFailureAndConnectionStaysUsable() throws Exception {
        try (AgentClient client = AgentClient.connect(emptyAgentSocket)) {
            AgentException e = assertThrows(AgentException.class,
                    () -> client.sign(pubBlob("ed25519"), new byte[] {1, 2, 3}, 0));
            assertTrue(e.getMessage().contains("refused to sign"), e.getMessage());
            assertTrue(e.getMessage().contains("SSH_AGENT_FAILURE"), e.getMessage());
            assertTrue(e.getMessage().contains(AgentClient.sha256Fingerprint(pubBlob("ed25519"))), e.getMessage());
            assertEquals(List.of(), client.identities());
        }
    }

    // --- (b) authentication against a real sshd ----------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "ecdsa", "rsa"})
    void authenticatesWithOnlyTheAgentForEachKeyType(String name) throws Exception {
        try (OpenSshServer server = OpenSshServer.start();
             AgentClient client = AgentClient.connect(agentSocket)) {
            Files.copy(Path.of(keyFile(name) + ".pub"), server.dir.resolve("authorized_keys"),
                    StandardCopyOption.REPLACE_EXISTING);
            List<AuthMethod> methods = AgentAuthMethod.forAgent(client);
            assertEquals(3, methods.size());
            try (SSHClient ssh = connect(server)) {
                ssh.auth("root", methods);
                assertTrue(ssh.isAuthenticated());
                assertEquals("ok\n", exec(ssh, "echo ok"));
            }
            String log = server.log();
            String fingerprint = AgentClient.sha256Fingerprint(pubBlob(name));
            assertTrue(log.contains("Accepted publickey for root") && log.contains(fingerprint), log);
        }
    }

    @Test
    void rsaFallsBackToSha256WhenTheServerRefusesSha512() throws Exception {
        try (OpenSshServer server = OpenSshServer.start("PubkeyAcceptedAlgorithms rsa-sha2-256");
             AgentClient client = AgentClient.connect(agentSocket)) {
            Files.copy(Path.of(keyFile("rsa") + ".pub"), server.dir.resolve("authorized_keys"),
                    StandardCopyOption.REPLACE_EXISTING);
            try (SSHClient ssh = connect(server)) {
                AgentAuthMethod.authenticate(ssh, "root", client);
                assertEquals("ok\n", exec(ssh, "echo ok"));
            }
            String log = server.log();
            assertTrue(log.contains("signature algorithm rsa-sha2-512 not in PubkeyAcceptedAlgorithms"), log);
            assertTrue(log.contains("Accepted publickey for root"), log);
        }
    }

    // --- (c) failures ---------------------------------------------------------------------------------------

    @Test
    void agentWithoutKeysFailsWithAClearUserAuthException() throws Exception {
        try (OpenSshServer server = OpenSshServer.start();
             AgentClient client = AgentClient.connect(emptyAgentSocket);
             SSHClient ssh = connect(server)) {
            UserAuthException e = assertThrows(UserAuthException.class,
                    () -> AgentAuthMethod.authenticate(ssh, "root", client));
            assertTrue(e.getMessage().contains("holds no keys"), e.getMessage());
            assertTrue(e.getMessage().contains(emptyAgentSocket.toString()), e.getMessage());
            // the bare sshj route fails too
            assertThrows(UserAuthException.class, () -> ssh.auth("root", AgentAuthMethod.forAgent(client)));
            assertFalse(ssh.isAuthenticated());
        }
    }

    @Test
    void serverRefusingAllAgentKeysFailsWithAClearUserAuthException() throws Exception {
        // authorized_keys holds only the fixture's own key, which is not in the agent
        try (OpenSshServer server = OpenSshServer.start();
             AgentClient client = AgentClient.connect(agentSocket);
             SSHClient ssh = connect(server)) {
            UserAuthException e = assertThrows(UserAuthException.class,
                    () -> AgentAuthMethod.authenticate(ssh, "root", client));
            assertTrue(e.getMessage().contains("refused all 3 ssh-agent keys for root"), e.getMessage());
            assertTrue(e.getMessage().contains("agent-rsa"), e.getMessage());
            assertFalse(ssh.isAuthenticated());
        }
    }

    // --- (d) missing socket ----------------------------------------------------------------------------------

    @Test
    void missingSocketIsAClearIOExceptionNamingThePath() {
        Path missing = dir.resolve("no-such-agent.sock");
        IOException e = assertThrows(IOException.class, () -> AgentClient.connect(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void socketThatIsNotAnAgentIsAClearIOExceptionNamingThePath() throws Exception {
        Path notASocket = dir.resolve("plain-file");
        Files.writeString(notASocket, "x");
        IOException e = assertThrows(IOException.class, () -> AgentClient.connect(notASocket));
        assertTrue(e.getMessage().contains(notASocket.toString()), e.getMessage());
        assertTrue(e.getMessage().startsWith("Cannot connect to ssh-agent socket"), e.getMessage());
    }

    // --- (e) misbehaving agents ------------------------------------------------------------------------------

    @Test
    void oversizedReplyLengthIsRefusedAtOnceWithoutAllocating() throws Exception {
        try (FakeAgent fake = new FakeAgent(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff});
             AgentClient client = AgentClient.connect(fake.socket, Duration.ofSeconds(10))) {
            long start = System.nanoTime();
            AgentException e = assertThrows(AgentException.class, client::identities);
            assertTrue(elapsedMs(start) < 5_000, "refused before the deadline");
            assertTrue(e.getMessage().contains("2147483647 bytes"), e.getMessage());
            assertTrue(e.getMessage().contains("256 KiB"), e.getMessage());
            // the connection is no longer trusted
            AgentException again = assertThrows(AgentException.class, client::identities);
            assertTrue(again.getMessage().contains("is closed"), again.getMessage());
        }
    }

    @Test
    void silentAgentTimesOut() throws Exception {
        try (FakeAgent fake = new FakeAgent(new byte[0]);
             AgentClient client = AgentClient.connect(fake.socket, Duration.ofMillis(500))) {
            long start = System.nanoTime();
            AgentException e = assertThrows(AgentException.class,
                    () -> client.sign(pubBlob("ed25519"), new byte[] {1}, 0));
            long ms = elapsedMs(start);
            assertTrue(ms >= 450 && ms < 5_000, "took " + ms + " ms");
            assertTrue(e.getMessage().contains("did not answer"), e.getMessage());
            assertTrue(e.getMessage().contains("500 ms"), e.getMessage());
            assertTrue(e.getMessage().contains(fake.socket.toString()), e.getMessage());
        }
    }

    @Test
    void agentStallingMidReplyTimesOut() throws Exception {
        // announces 100 bytes, sends 3
        try (FakeAgent fake = new FakeAgent(new byte[] {0, 0, 0, 100, 12, 0, 0});
             AgentClient client = AgentClient.connect(fake.socket, Duration.ofMillis(500))) {
            AgentException e = assertThrows(AgentException.class, client::identities);
            assertTrue(e.getMessage().contains("did not answer"), e.getMessage());
        }
    }

    @Test
    void absurdKeyCountIsMalformedNotAnAllocation() throws Exception {
        // IDENTITIES_ANSWER claiming 0x7fffffff keys in a 5-byte message
        try (FakeAgent fake = new FakeAgent(new byte[] {0, 0, 0, 5, 12, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff});
             AgentClient client = AgentClient.connect(fake.socket)) {
            AgentException e = assertThrows(AgentException.class, client::identities);
            assertTrue(e.getMessage().contains("malformed key list"), e.getMessage());
        }
    }

    @Test
    void agentClosingTheConnectionIsAClearFailure() throws Exception {
        try (FakeAgent fake = new FakeAgent(null);
             AgentClient client = AgentClient.connect(fake.socket)) {
            AgentException e = assertThrows(AgentException.class, client::identities);
            assertTrue(e.getMessage().contains("closed the connection") || e.getMessage().contains("failed during"),
                    e.getMessage());
        }
    }

    @Test
    void agentFailureReplyToListing() throws Exception {
        try (FakeAgent fake = new FakeAgent(new byte[] {0, 0, 0, 1, 5});
             AgentClient client = AgentClient.connect(fake.socket)) {
            AgentException e = assertThrows(AgentException.class, client::identities);
            assertTrue(e.getMessage().contains("refused to list"), e.getMessage());
        }
    }

    /**
     * A Unix socket server that reads one framed request, then writes {@code reply} and holds the connection
     * open until closed ({@code null}: closes the connection instead of replying).
     */
    private static final class FakeAgent implements AutoCloseable {
        final Path socket;
        private final ServerSocketChannel server;
        private final Thread thread;
        private final CountDownLatch done = new CountDownLatch(1);

        FakeAgent(byte[] reply) throws IOException {
            socket = Files.createTempDirectory(dir, "fake").resolve("agent.sock");
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            thread = Thread.ofPlatform().daemon().name("fake-agent").start(() -> {
                try (SocketChannel c = server.accept()) {
                    ByteBuffer header = ByteBuffer.allocate(4);
                    while (header.hasRemaining() && c.read(header) >= 0) {
                        // read the request length
                    }
                    ByteBuffer body = ByteBuffer.allocate(header.flip().getInt());
                    while (body.hasRemaining() && c.read(body) >= 0) {
                        // read the request
                    }
                    if (reply == null) {
                        return;
                    }
                    c.write(ByteBuffer.wrap(reply));
                    done.await();
                } catch (IOException | InterruptedException e) {
                    // closed by the test
                }
            });
        }

        @Override
        public void close() throws Exception {
            done.countDown();
            server.close();
            thread.join(5_000);
        }
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    private static SSHClient connect(OpenSshServer server) throws IOException {
        SSHClient ssh = new SSHClient();
        ssh.addHostKeyVerifier(new OpenSSHKnownHosts(new StringReader(server.knownHostsLine() + "\n")));
        ssh.setConnectTimeout(10_000);
        ssh.setTimeout(15_000);
        ssh.connect("127.0.0.1", server.port);
        return ssh;
    }

    private static String exec(SSHClient ssh, String command) throws IOException {
        try (Session session = ssh.startSession(); Session.Command cmd = session.exec(command)) {
            String out = new String(cmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            cmd.join(10, TimeUnit.SECONDS);
            assertEquals(0, cmd.getExitStatus());
            return out;
        }
    }

    private static Path keyFile(String name) {
        return dir.resolve("id_" + name);
    }

    private static String[] pubFields(String name) throws IOException {
        return Files.readString(Path.of(keyFile(name) + ".pub")).strip().split(" ");
    }

    private static byte[] pubBlob(String name) throws IOException {
        return Base64.getDecoder().decode(pubFields(name)[1]);
    }

    private static String pubType(String name) throws IOException {
        return pubFields(name)[0];
    }

    private static String keygenFingerprint(String name) throws Exception {
        return run(List.of("ssh-keygen", "-l", "-E", "sha256", "-f", keyFile(name) + ".pub"), Map.of());
    }

    private static long elapsedMs(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private static Process startAgent(Path socket) throws Exception {
        Process p = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(socket.getFileName() + ".log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(socket)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IllegalStateException("ssh-agent did not create " + socket + ": "
                        + Files.readString(dir.resolve(socket.getFileName() + ".log")));
            }
            Thread.sleep(20);
        }
        return p;
    }

    private static void stop(Process p) throws InterruptedException {
        if (p != null) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static String run(List<String> cmd, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }
}
