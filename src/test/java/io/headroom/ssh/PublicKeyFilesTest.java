package io.headroom.ssh;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The public key an OpenSSH private key file keeps unencrypted (PROTOCOL.key), read without its passphrase, is the one
 * ssh-keygen wrote to KEY.pub: keys made by the real ssh-keygen, each type, with and without a passphrase.
 */
class PublicKeyFilesTest {
    @TempDir
    Path dir;

    private Path keygen(String name, String type, String passphrase, String... more) throws Exception {
        Path key = dir.resolve(name);
        List<String> cmd = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", passphrase, "-f", key.toString()));
        cmd.addAll(List.of(more));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "ssh-keygen: " + said);
        return key;
    }

    @ParameterizedTest
    @CsvSource({"ed25519,''", "ed25519,a passphrase", "ecdsa,''", "rsa,''", "rsa,a passphrase"})
    void thePrivateKeyFileNamesItsPublicKeyWithoutThePassphrase(String type, String passphrase) throws Exception {
        Path key = keygen("id_" + type, type, passphrase);
        String own = PublicKeyFiles.ofPrivateKeyFile(key);
        assertEquals(PublicKeyFiles.blob(Path.of(key + ".pub")), own);
        assertNotNull(own);
        assertEquals(own, PublicKeyFiles.blob(PublicKeyFiles.publicKey(own)), "sshj reads the blob back to the same key");
    }

    @Test
    void otherFilesHaveNoneAndAreNotMistakenForKeys() throws Exception {
        Path pem = keygen("id_pem", "rsa", "", "-m", "PEM");
        assertNull(PublicKeyFiles.ofPrivateKeyFile(pem), "a PEM file keeps no public key");
        assertNull(PublicKeyFiles.blob(pem), "nor is it a .pub line");
        assertNull(PublicKeyFiles.ofPrivateKeyFile(Path.of(pem + ".pub")));
        assertNull(PublicKeyFiles.ofPrivateKeyFile(dir.resolve("missing")));
        Path key = keygen("id_cut", "ed25519", "");
        String text = Files.readString(key);
        Files.writeString(key, text.substring(0, 80) + "\n-----END OPENSSH PRIVATE KEY-----\n");
        assertNull(PublicKeyFiles.ofPrivateKeyFile(key), "cut short");
        Files.writeString(key, "-----BEGIN OPENSSH PRIVATE KEY-----\n" + "QUFB".repeat(20_000) + "\n-----END OPENSSH PRIVATE KEY-----\n");
        assertNull(PublicKeyFiles.ofPrivateKeyFile(key), "over 64 KiB");
        Files.writeString(key, "-----BEGIN OPENSSH PRIVATE KEY-----\n!!!\n-----END OPENSSH PRIVATE KEY-----\n");
        assertNull(PublicKeyFiles.ofPrivateKeyFile(key), "not base64");
        assertNull(PublicKeyFiles.publicKey("bm90IGEga2V5"), "not a key blob");

        // a .pub with a comment and a blank line before the key (ssh skips them)
        Path ed = keygen("id_commented", "ed25519", "");
        String blob = PublicKeyFiles.blob(Path.of(ed + ".pub"));
        Files.writeString(Path.of(ed + ".pub"), "# made for the lab\n\n" + Files.readString(Path.of(ed + ".pub")));
        assertEquals(blob, PublicKeyFiles.blob(Path.of(ed + ".pub")));
    }
}
