package io.headroom.ssh;

import com.hierynomus.sshj.userauth.certificate.Certificate;
import net.schmizz.sshj.common.Buffer;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** OpenSSH's checks on a trusted host certificate (sshconnect.c check_host_cert), on certificates made by ssh-keygen. */
class HostCertificatesTest {
    static Certificate<?> cert(String name) throws Exception {
        try (InputStream in = HostCertificatesTest.class.getResourceAsStream("hostcerts/" + name + ".cert.pub")) {
            String line = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            return (Certificate<?>) new Buffer.PlainBuffer(Base64.getDecoder().decode(line.split(" ")[1])).readPublicKey();
        }
    }

    @Test
    void aValidHostCertificateIsValidForItsPrincipalOnly() throws Exception {
        assertNull(HostCertificates.problem(cert("host-web1"), "web1.example.com"));
        assertEquals("it is for web1.example.com, not web2.example.com", HostCertificates.problem(cert("host-web1"), "web2.example.com"));
    }

    @Test
    void aPrincipalIsMatchedExactlyAndAnEmptyListNamesNoHost() throws Exception {
        // OpenSSH's client compares host principals with strcmp (wildcards only from 10.3): the stricter reading
        assertEquals("it is for *.example.com, not db3.example.com", HostCertificates.problem(cert("host-wildcard"), "db3.example.com"));
        // sshj (and OpenSSH before 10.3) took an empty list as valid for any host
        assertEquals("it lists no principals, so it names no host", HostCertificates.problem(cert("host-no-principals"), "web1.example.com"));
    }

    @Test
    void aUserCertificateIsNoHostCertificate() throws Exception {
        // sshj checks principals, dates and the signature, not the type: a user certificate from the same CA passed
        assertEquals("it is a user certificate (type 1), not a host certificate", HostCertificates.problem(cert("user-web1"), "web1.example.com"));
    }

    @Test
    void expiredCriticalOptionsAndSha1SignaturesAreRefused() throws Exception {
        String expired = HostCertificates.problem(cert("host-web1-expired"), "web1.example.com");
        assertTrue(expired != null && expired.contains("valid before"), expired);
        String critical = HostCertificates.problem(cert("host-web1-critical"), "web1.example.com");
        assertTrue(critical != null && critical.contains("force-command"), critical);
        assertEquals("it is signed with ssh-rsa, which OpenSSH does not accept from a certificate authority (CASignatureAlgorithms)",
                HostCertificates.problem(cert("host-web1-ssh-rsa-signed"), "web1.example.com"));
        assertNull(HostCertificates.problem(cert("host-web1-rsa-sha2-512-signed"), "web1.example.com"));
    }

    @Test
    void aTamperedSignatureIsRefused() throws Exception {
        Certificate<?> good = cert("host-web1");
        byte[] blob = HostKeys.blob(good);
        blob[blob.length - 10] ^= 1;  // inside the signature
        Certificate<?> bad = (Certificate<?>) new Buffer.PlainBuffer(blob).readPublicKey();
        String why = HostCertificates.problem(bad, "web1.example.com");
        assertTrue(why != null && why.contains("Signature verification failed"), why);
    }

    @Test
    void hostOfStripsThePortBrackets() {
        assertEquals("10.0.0.5", KnownHostsVerifier.hostOf("[10.0.0.5]:2222"));
        assertEquals("web1", KnownHostsVerifier.hostOf("web1"));
    }
}
