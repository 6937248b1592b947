package io.headroom.ssh;

import net.schmizz.sshj.userauth.method.ChallengeResponseProvider;
import net.schmizz.sshj.userauth.password.PasswordFinder;
import net.schmizz.sshj.userauth.password.Resource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** The secrets a user types during authentication: asked once, never re-sent, wiped after use. */
final class InteractiveSecrets {
    private InteractiveSecrets() {
    }

    /** Asks once per resource; never retries with the same secret; {@link #wipe} clears it after use. */
    static final class OncePasswordFinder implements PasswordFinder {
        private final java.util.function.Supplier<char[]> ask;
        private boolean asked;
        private char[] given;

        OncePasswordFinder(java.util.function.Supplier<char[]> ask) {
            this.ask = ask;
        }

        @Override
        public char[] reqPassword(Resource<?> resource) {
            if (asked) {
                return null;
            }
            asked = true;
            given = ask.get();
            return given;
        }

        void wipe() {
            InteractiveSecrets.wipe(given);
            given = null;
        }

        @Override
        public boolean shouldRetry(Resource<?> resource) {
            return false;
        }
    }

    /** Keyboard-interactive through the prompter. */
    static final class PromptingChallenges implements ChallengeResponseProvider {
        private final Prompter prompter;
        private final String who;
        private int rounds;

        PromptingChallenges(Prompter prompter, String who) {
            this.prompter = prompter;
            this.who = who;
        }

        @Override
        public List<String> getSubmethods() {
            return Collections.emptyList();
        }

        @Override
        public void init(Resource resource, String name, String instruction) {
            rounds++;
        }

        private final List<char[]> given = new ArrayList<>();

        @Override
        public char[] getResponse(String prompt, boolean echo) {
            char[] answer = prompter.keyboardInteractive(who, prompt, echo);
            if (answer != null) {
                given.add(answer);
            }
            return answer == null ? new char[0] : answer;
        }

        void wipe() {
            given.forEach(InteractiveSecrets::wipe);
            given.clear();
        }

        @Override
        public boolean shouldRetry() {
            // never re-send: a server that refuses keyboard-interactive would otherwise be asked until it hangs up
            return false;
        }
    }

    /** Wipes a secret. */
    static void wipe(char[] secret) {
        if (secret != null) {
            Arrays.fill(secret, '\0');
        }
    }
}
