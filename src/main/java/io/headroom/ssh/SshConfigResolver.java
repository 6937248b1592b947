package io.headroom.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Resolves a target with the OpenSSH client's own configuration logic: {@code ssh -G} prints the
 * effective options for a destination (Match, Host patterns, Include, tokens — all of it), so
 * Headroom never re-implements ssh_config(5). See docs/decisions/0005-ssh-config-via-ssh-G.md.
 */
public final class SshConfigResolver {
    private final String sshBinary;
    private final Path configFile;
    private final ConcurrentHashMap<String, SshSettings> cache = new ConcurrentHashMap<>();

    /** Uses {@code ssh} from PATH and the user's default configuration. */
    public SshConfigResolver() {
        this("ssh", null);
    }

    /** @param configFile an explicit config ({@code ssh -F}), or null for the defaults */
    public SshConfigResolver(String sshBinary, Path configFile) {
        this.sshBinary = sshBinary;
        this.configFile = configFile;
    }

    public SshSettings resolve(String targetText) throws SshException {
        return resolve(targetText, null);
    }

    /**
     * @param jump a ProxyJump for this target ({@code ssh -J}), overriding the config, or null
     */
    public SshSettings resolve(String targetText, String jump) throws SshException {
        String key = jump == null ? targetText : targetText + " via " + jump;
        SshSettings cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        SshTarget t;
        try {
            t = SshTarget.parse(targetText);
        } catch (IllegalArgumentException e) {
            throw new SshException(SshException.Kind.USAGE, e.getMessage());
        }
        List<String> cmd = new ArrayList<>(List.of(sshBinary, "-G"));
        if (configFile != null) {
            cmd.addAll(List.of("-F", configFile.toString()));
        }
        if (t.user() != null) {
            cmd.addAll(List.of("-l", t.user()));
        }
        if (t.port() != null) {
            cmd.addAll(List.of("-p", t.port().toString()));
        }
        if (jump != null) {
            try {
                SshTarget.parse(jump);
            } catch (IllegalArgumentException e) {
                throw new SshException(SshException.Kind.USAGE, "jump host: " + e.getMessage());
            }
            cmd.addAll(List.of("-J", jump));
        }
        cmd.add("--");
        cmd.add(t.host());
        String out;
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] bytes = p.getInputStream().readNBytes(1 << 20);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new SshException(SshException.Kind.CONFIG, "ssh -G did not answer for " + targetText);
            }
            out = new String(bytes, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new SshException(SshException.Kind.CONFIG, "ssh -G rejected " + targetText + ": " + out.strip());
            }
        } catch (IOException e) {
            throw new SshException(SshException.Kind.CONFIG,
                    "the OpenSSH client (ssh) is needed to read ~/.ssh/config and was not found: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SshException(SshException.Kind.CANCELLED, "cancelled");
        }
        SshSettings s = parse(targetText, out);
        cache.put(key, s);
        return s;
    }

    /** Parses {@code ssh -G} output (lower-case keyword, space, value; repeated keywords accumulate). */
    static SshSettings parse(String target, String text) {
        String hostname = null;
        String user = System.getProperty("user.name");
        int port = 22;
        List<Path> ids = new ArrayList<>();
        boolean idsOnly = false;
        List<Path> certs = new ArrayList<>();
        List<String> jump = new ArrayList<>();
        String alias = null;
        List<Path> known = new ArrayList<>();
        String strict = "ask";
        Duration timeout = null; // none: the connector's default applies
        int alive = 0;
        int aliveCount = 0; // unset: SshSettings applies OpenSSH's default (ssh -G prints it anyway)
        SshAlgorithms defaults = SshAlgorithms.OPENSSH_DEFAULTS;
        List<String> kex = defaults.kex();
        List<String> ciphers = defaults.ciphers();
        List<String> macs = defaults.macs();
        List<String> hostKeys = defaults.hostKeys();
        String home = System.getProperty("user.home");
        for (String line : text.split("\n")) {
            int sp = line.indexOf(' ');
            if (sp <= 0) {
                continue;
            }
            String key = line.substring(0, sp).toLowerCase(Locale.ROOT);
            String value = line.substring(sp + 1).strip();
            switch (key) {
                case "hostname" -> hostname = value;
                case "user" -> user = value;
                case "port" -> port = Integer.parseInt(value);
                case "identityfile" -> ids.add(Path.of(expand(value, home)));
                case "identitiesonly" -> idsOnly = value.equals("yes");
                case "certificatefile" -> certs.add(Path.of(expand(value, home)));
                case "proxyjump" -> {
                    if (!value.equals("none")) {
                        for (String hop : value.split(",")) {
                            jump.add(hop.strip());
                        }
                    }
                }
                case "hostkeyalias" -> alias = value;
                case "userknownhostsfile" -> {
                    for (String f : value.split("\\s+")) {
                        known.add(Path.of(expand(f, home)));
                    }
                }
                case "stricthostkeychecking" -> strict = value;
                case "connecttimeout" -> {
                    if (!value.equals("none")) {
                        timeout = Duration.ofSeconds(Long.parseLong(value));
                    }
                }
                case "serveraliveinterval" -> alive = Integer.parseInt(value);
                case "serveralivecountmax" -> aliveCount = Integer.parseInt(value);
                case "kexalgorithms" -> kex = List.of(value.split(","));
                case "ciphers" -> ciphers = List.of(value.split(","));
                case "macs" -> macs = List.of(value.split(","));
                case "hostkeyalgorithms" -> hostKeys = List.of(value.split(","));
                default -> {
                }
            }
        }
        if (known.isEmpty()) {
            known.add(Path.of(home, ".ssh", "known_hosts"));
        }
        return new SshSettings(target, hostname, user, port, ids, idsOnly, certs, jump, alias, known, strict, timeout, alive, aliveCount,
                new SshAlgorithms(kex, ciphers, macs, hostKeys));
    }

    private static String expand(String path, String home) {
        return path.startsWith("~/") ? home + path.substring(1) : path;
    }
}
