package io.headroom.engine.fix;

import io.headroom.compose.DotEnvEditor;
import io.headroom.compose.FileEdit;
import io.headroom.ssh.RemoteFiles;
import io.headroom.ssh.ShellQuote;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Pushes a {@link FixPlan} to a VM so that the compose file is at every moment either the old one
 * or the new one, never partial: upload to a temporary file in the same directory → validate it with
 * the VM's own {@code docker compose config} → keep a backup {@code FILE.headroom-<UTC>.bak} → atomic
 * rename ({@code posix-rename@openssh.com}) → read back and compare the hash. A file that changed
 * since the scan is refused. Rollback puts the newest backup back the same way.
 */
public final class Pusher {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

    private final RemoteFiles remote;
    private final AuditLog audit;
    private final String target;

    public Pusher(RemoteFiles remote, AuditLog audit, String target) {
        this.remote = remote;
        this.audit = audit;
        this.target = target;
    }

    /** The outcome of one file. */
    public record Step(String path, String backup, String shaBefore, String shaAfter, String result) {
    }

    /** Applies the plan's edits (and the .env value in env mode). Stops at the first failure. */
    public List<Step> apply(FixPlan plan) throws IOException {
        if (plan.refusal() != null) {
            throw new IOException("refusing: " + plan.refusal());
        }
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < plan.edits().size(); i++) {
            FileEdit e = plan.edits().get(i);
            steps.add(replace(plan, e.path(), plan.shaBefore().get(i), e.after().getBytes(StandardCharsets.UTF_8), true));
        }
        if (plan.envMode()) {
            String env = plan.workingDir() + "/.env";
            byte[] old = remote.exists(env) ? remote.read(env) : new byte[0];
            String updated = DotEnvEditor.setAvailableMemory(RemoteFiles.text(old), plan.bytes());
            steps.add(replace(plan, env, sha256(old), updated.getBytes(StandardCharsets.UTF_8), false));
        }
        return steps;
    }

    /** Restarts only the affected services: {@code up -d --no-deps SERVICE…} (workers restart, running tasks are lost). */
    public RemoteFiles.Exec restart(FixPlan plan) throws IOException {
        StringBuilder files = new StringBuilder();
        for (String f : plan.files()) {
            files.append(" -f ").append(ShellQuote.quote(f));
        }
        StringBuilder services = new StringBuilder();
        for (String s : plan.services()) {
            services.append(' ').append(ShellQuote.quote(s));
        }
        String project = " -p " + ShellQuote.quote(plan.project());
        String cmd = "cd " + ShellQuote.quote(plan.workingDir()) + " && { if docker compose version >/dev/null 2>&1;"
                + " then docker compose" + project + files + " up -d --no-deps" + services + ";"
                + " else docker-compose" + project + files + " up -d --no-deps" + services + "; fi; }";
        RemoteFiles.Exec r = remote.exec(cmd, COMMAND_TIMEOUT);
        audit.record(target, plan.workingDir(), null, null, "restart " + plan.services(), r.status() == 0 ? "ok" : "failed: " + r.err().strip());
        return r;
    }

    /** Puts back the newest {@code .headroom-*.bak} of each file the plan names. */
    public List<Step> rollback(FixPlan plan, List<String> backups) throws IOException {
        List<Step> steps = new ArrayList<>();
        for (String backup : backups) {
            String path = backup.replaceFirst("\\.headroom-\\d{8}T\\d{6}Z\\.bak$", "");
            byte[] current = remote.read(path);
            byte[] old = remote.read(backup);
            String tmp = tmpName(path);
            remote.writeNew(tmp, old, remote.mode(path));
            try {
                remote.atomicReplace(tmp, path);
            } catch (IOException e) {
                remote.remove(tmp);
                throw e;
            }
            String after = sha256(remote.read(path));
            String result = after.equals(sha256(old)) ? "ok" : "hash mismatch after rollback";
            audit.record(target, path, sha256(current), after, "rollback from " + backup, result);
            steps.add(new Step(path, backup, sha256(current), after, result));
        }
        return steps;
    }

    private Step replace(FixPlan plan, String path, String expectedSha, byte[] content, boolean validate) throws IOException {
        byte[] current = remote.exists(path) ? remote.read(path) : new byte[0];
        String shaNow = sha256(current);
        if (expectedSha != null && !shaNow.equals(expectedSha)) {
            audit.record(target, path, shaNow, null, "apply", "refused: changed since the scan");
            throw new IOException(path + " changed on " + target + " since the scan (sha256 " + shaNow.substring(0, 12)
                    + "… ≠ " + expectedSha.substring(0, 12) + "…): scan again before fixing");
        }
        int mode = current.length > 0 ? remote.mode(path) : 0644;
        String tmp = tmpName(path);
        remote.writeNew(tmp, content, mode);
        try {
            if (validate) {
                validateOnVm(plan, path, tmp);
            }
            String backup = null;
            if (current.length > 0) {
                backup = path + ".headroom-" + STAMP.format(java.time.Instant.now()) + ".bak";
                remote.writeNew(backup, current, mode);
            }
            remote.atomicReplace(tmp, path);
            String shaAfter = sha256(remote.read(path));
            String expected = sha256(content);
            String result = shaAfter.equals(expected) ? "ok" : "hash mismatch: the file on the VM is not what was sent";
            audit.record(target, path, shaNow, shaAfter, "apply", result);
            if (!result.equals("ok")) {
                throw new IOException(path + ": " + result);
            }
            return new Step(path, backup, shaNow, shaAfter, result);
        } catch (IOException | RuntimeException e) {
            try {
                if (remote.exists(tmp)) {
                    remote.remove(tmp);
                }
            } catch (IOException ignored) {
                // the temporary file stays; it never replaces anything
            }
            throw e;
        }
    }

    /** The VM's own compose validates the new file together with the project's other files. */
    private void validateOnVm(FixPlan plan, String path, String tmp) throws IOException {
        StringBuilder files = new StringBuilder();
        for (String f : plan.files()) {
            files.append(" -f ").append(ShellQuote.quote(f.equals(path) ? tmp : f));
        }
        String cmd = "cd " + ShellQuote.quote(plan.workingDir()) + " && { if docker compose version >/dev/null 2>&1;"
                + " then docker compose" + files + " config -q; else docker-compose" + files + " config -q; fi; }";
        RemoteFiles.Exec r = remote.exec(cmd, COMMAND_TIMEOUT);
        if (r.status() != 0) {
            audit.record(target, path, null, null, "validate", "rejected: " + r.err().strip());
            throw new IOException("compose on " + target + " rejects the new " + path + ": " + r.err().strip());
        }
    }

    private static String tmpName(String path) {
        int slash = path.lastIndexOf('/');
        byte[] b = new byte[6];
        new SecureRandom().nextBytes(b);
        return path.substring(0, slash + 1) + "." + path.substring(slash + 1) + ".headroom-" + HexFormat.of().formatHex(b) + ".tmp";
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
