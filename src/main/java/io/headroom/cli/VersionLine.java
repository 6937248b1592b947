package io.headroom.cli;

import io.headroom.engine.HeadroomVersion;

import java.util.Set;

/**
 * {@code headroom --version} answered before picocli reads any annotation (issue 15: scripts call it
 * in loops; 0.43 → 0.11 s). Prints exactly the line {@link HeadroomCommand}'s version provider and
 * {@link VersionCommand} print; this class must not touch picocli.
 */
public final class VersionLine {
    /** The words that print the version: {@code --version}, {@code -V} (picocli's standard options), {@code version}. */
    public static final Set<String> WORDS = Set.of("--version", "-V", "version");

    private VersionLine() {
    }

    /** The line itself: {@code headroom 0.1.0}. */
    static String text() {
        return "headroom " + HeadroomVersion.get();
    }

    /** Prints the version line on stdout when the arguments are one of {@link #WORDS}; true when it did. */
    public static boolean printIfAsked(String[] args) {
        if (args.length == 1 && WORDS.contains(args[0])) {
            System.out.println(text());
            return true;
        }
        return false;
    }
}
