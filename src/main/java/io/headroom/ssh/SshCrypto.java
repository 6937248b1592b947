package io.headroom.ssh;

import net.schmizz.sshj.common.SecurityUtils;

import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyFactorySpi;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.KeySpec;
import java.util.List;
import java.util.Map;

/**
 * How sshj reaches its cryptography: through the JDK's own providers, without registering
 * BouncyCastle as a JCE provider.
 *
 * <p>By default sshj calls {@code Security.addProvider(new BouncyCastleProvider())} before its
 * first key operation. That loads and verifies the signed 8.7 MB {@code bcprov} jar (JarVerifier,
 * PKCS7) and hundreds of provider classes, which costs CPU on every cold CLI run
 * (docs/performance.md). The JDK (21+) has every algorithm sshj 0.40.0 asks the JCE for:
 * {@code DH}, {@code EC}, {@code X25519}, {@code Ed25519}, {@code RSA}, {@code DSA} and the
 * ciphers and MACs. The one exception is the key factory sshj requests as {@code "ECDSA"}, a
 * BouncyCastle name (the JDK calls it {@code "EC"}). {@link Names} provides that name and
 * delegates to the JDK's EC key factory. We listed the names by scanning sshj's classes for
 * {@code SecurityUtils.get*} calls with {@code javap}.
 *
 * <p>sshj still uses BouncyCastle classes directly where it needs them (PEM/PKCS#8 key files),
 * and that works without the provider registration. Test JVMs that load Apache MINA get
 * BouncyCastle registered by MINA. {@code SecretsNeverWrittenTest} and the real-sshd integration
 * tests run without it.
 */
final class SshCrypto {
    static {
        SecurityUtils.setRegisterBouncyCastle(false);
        if (Security.getProvider(Names.NAME) == null) {
            Security.addProvider(new Names()); // last: asked only for names no JDK provider has
        }
    }

    private SshCrypto() {
    }

    /** Runs the static initializer once; call before sshj parses, signs or connects. */
    static void configure() {
        // the static block did it
    }

    /** JDK algorithms under the BouncyCastle names sshj asks for. */
    static final class Names extends Provider {
        static final String NAME = "HeadroomSshjNames";

        Names() {
            super(NAME, "1", "JDK algorithms under the names sshj asks for (KeyFactory ECDSA = EC)");
            putService(new Service(this, "KeyFactory", "ECDSA", EcdsaKeyFactory.class.getName(), List.of(), Map.of()));
        }
    }

    /** The JDK's {@code EC} key factory, under the name {@code ECDSA}. */
    public static final class EcdsaKeyFactory extends KeyFactorySpi {
        private final KeyFactory ec;

        public EcdsaKeyFactory() throws NoSuchAlgorithmException {
            ec = KeyFactory.getInstance("EC");
        }

        @Override
        protected PublicKey engineGeneratePublic(KeySpec keySpec) throws InvalidKeySpecException {
            return ec.generatePublic(keySpec);
        }

        @Override
        protected PrivateKey engineGeneratePrivate(KeySpec keySpec) throws InvalidKeySpecException {
            return ec.generatePrivate(keySpec);
        }

        @Override
        protected <T extends KeySpec> T engineGetKeySpec(Key key, Class<T> keySpec) throws InvalidKeySpecException {
            return ec.getKeySpec(key, keySpec);
        }

        @Override
        protected Key engineTranslateKey(Key key) throws InvalidKeyException {
            return ec.translateKey(key);
        }
    }
}
