package io.headroom.probe;

import io.headroom.model.ContainerFacts;
import io.headroom.model.HostFacts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Live mode's light refresh (issue 15, docs/decisions/0031): a ~2 KiB POSIX sh script that reads only what
 * changes between two scans (MemAvailable and each known container's memory files) with shell builtins and
 * no fork, in the full probe's section format. Its arguments come from the previous full scan, that is from
 * remote data: every one is validated here (ids 64 hex, version 1 or 2, cgroup paths of a fixed alphabet
 * without dot segments) and the transports single-quote each, so no remote text is ever parsed by a shell.
 */
public final class RefreshScript {
    private static final String TEXT = load();
    private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern DIR = Pattern.compile("/sys/fs/cgroup(/[A-Za-z0-9_.:@+-]+)+");

    private RefreshScript() {
    }

    /** The script text (POSIX sh): {@code sh -s -- NONCE ID V DIR [ID V DIR]...}. */
    public static String text() {
        return TEXT;
    }

    /**
     * The arguments after the nonce for the containers of a full scan: {@code ID V DIR} per container
     * whose cgroup directory the full probe read. Containers without one are left out (the refresh keeps
     * what the full scan knew of them).
     */
    public static List<String> arguments(HostFacts previous) {
        List<String> args = new ArrayList<>();
        for (ContainerFacts c : previous.containers()) {
            if (c.cgroup() != null && safe(c.id(), c.cgroup().version(), c.cgroup().directory())) {
                args.add(c.id());
                args.add(Integer.toString(c.cgroup().version()));
                args.add(c.cgroup().directory());
            }
        }
        return List.copyOf(args);
    }

    /** Whether a container's id, cgroup version and directory may be passed to the script. */
    static boolean safe(String id, int version, String dir) {
        return id != null && ID.matcher(id).matches() && (version == 1 || version == 2)
                && dir != null && DIR.matcher(dir).matches()
                && !dir.contains("/../") && !dir.endsWith("/..") && !dir.contains("/./") && !dir.endsWith("/.");
    }

    /**
     * One argument as a single-quoted shell word. The validated arguments hold no quote; a quote here
     * means a caller skipped {@link #arguments}, and is refused rather than escaped.
     */
    public static String quote(String arg) {
        if (arg.indexOf('\'') >= 0 || arg.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("refusing to quote an argument with a quote or NUL");
        }
        return "'" + arg + "'";
    }

    private static String load() {
        try (InputStream in = RefreshScript.class.getResourceAsStream("/io/headroom/probe/headroom-refresh.sh")) {
            if (in == null) {
                throw new IllegalStateException("refresh script resource missing from the build");
            }
            // comments stay in the repository, not on the wire (no here-document in the script: safe to drop)
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.stripLeading().startsWith("#")).collect(java.util.stream.Collectors.joining("\n", "", "\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
