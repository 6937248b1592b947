package io.headroom.ssh;

/**
 * Asks the user for secrets and decisions. The CLI implements it on the console, the GUI with
 * dialogs. Returned secrets are used once and wiped; Headroom never stores them.
 */
public interface Prompter {
    /** What to do with a host key that known_hosts does not have. */
    enum HostKeyDecision { ACCEPT_ONCE, ACCEPT_AND_SAVE, REJECT }

    /**
     * @param host        the name checked against known_hosts ({@code [host]:port} form when not 22)
     * @param keyType     e.g. ssh-ed25519
     * @param fingerprint {@code SHA256:…} as OpenSSH prints it
     */
    HostKeyDecision unknownHostKey(String host, String keyType, String fingerprint);

    /**
     * Tells the user that a host offered a changed key. The connection is refused whatever happens
     * here: there is nothing to decide, so nothing is returned. Implementations must not block for
     * long (the CLI prints the refusal from the error; the GUI shows a modal error).
     */
    default void hostKeyChanged(HostKeyMismatch mismatch) {
    }

    /** The passphrase of an encrypted key file, or null to skip the key. */
    char[] passphrase(String keyFile);

    /** A password for user@host, or null to give up. */
    char[] password(String userAtHost);

    /** An answer to a keyboard-interactive prompt, or null to give up. */
    char[] keyboardInteractive(String userAtHost, String prompt, boolean echo);

    /** Never asks: unknown keys are refused, no secrets given. For unattended use. */
    Prompter NON_INTERACTIVE = new Prompter() {
        @Override
        public HostKeyDecision unknownHostKey(String host, String keyType, String fingerprint) {
            return HostKeyDecision.REJECT;
        }

        @Override
        public char[] passphrase(String keyFile) {
            return null;
        }

        @Override
        public char[] password(String userAtHost) {
            return null;
        }

        @Override
        public char[] keyboardInteractive(String userAtHost, String prompt, boolean echo) {
            return null;
        }
    };

    /** Accepts unknown keys and saves them (OpenSSH's StrictHostKeyChecking=accept-new); no secrets. */
    static Prompter acceptNew(Prompter delegate) {
        return new Prompter() {
            @Override
            public HostKeyDecision unknownHostKey(String host, String keyType, String fingerprint) {
                return HostKeyDecision.ACCEPT_AND_SAVE;
            }

            @Override
            public void hostKeyChanged(HostKeyMismatch mismatch) {
                delegate.hostKeyChanged(mismatch);
            }

            @Override
            public char[] passphrase(String keyFile) {
                return delegate.passphrase(keyFile);
            }

            @Override
            public char[] password(String userAtHost) {
                return delegate.password(userAtHost);
            }

            @Override
            public char[] keyboardInteractive(String userAtHost, String prompt, boolean echo) {
                return delegate.keyboardInteractive(userAtHost, prompt, echo);
            }
        };
    }
}
