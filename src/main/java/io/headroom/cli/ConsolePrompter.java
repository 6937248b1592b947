package io.headroom.cli;

import io.headroom.ssh.Prompter;

import java.io.Console;

/**
 * Prompts on the terminal. Without a terminal (scripts, CI) nothing is asked: unknown host keys are
 * refused and no secret is given. Secrets are read without echo and never written anywhere.
 */
final class ConsolePrompter implements Prompter {
    private final Console console;

    ConsolePrompter(Console console) {
        this.console = console;
    }

    static Prompter system() {
        Console c = System.console();
        return c == null ? Prompter.NON_INTERACTIVE : new ConsolePrompter(c);
    }

    @Override
    public synchronized HostKeyDecision unknownHostKey(String host, String keyType, String fingerprint) {
        console.printf("The authenticity of host '%s' can't be established.%n%s key fingerprint is %s.%n", host, keyType, fingerprint);
        String answer = console.readLine("Accept it? [yes = accept and remember / once = this time only / no]: ");
        if (answer == null) {
            return HostKeyDecision.REJECT;
        }
        return switch (answer.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "yes", "y" -> HostKeyDecision.ACCEPT_AND_SAVE;
            case "once" -> HostKeyDecision.ACCEPT_ONCE;
            default -> HostKeyDecision.REJECT;
        };
    }

    @Override
    public synchronized char[] passphrase(String keyFile) {
        return console.readPassword("Enter passphrase for key '%s': ", keyFile);
    }

    @Override
    public synchronized char[] password(String userAtHost) {
        return console.readPassword("%s's password: ", userAtHost);
    }

    @Override
    public synchronized char[] keyboardInteractive(String userAtHost, String prompt, boolean echo) {
        return echo ? console.readLine("(%s) %s", userAtHost, prompt).toCharArray() : console.readPassword("(%s) %s", userAtHost, prompt);
    }
}
