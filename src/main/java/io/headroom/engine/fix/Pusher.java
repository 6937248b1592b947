package io.headroom.engine.fix;

import io.headroom.compose.DotEnvEditor;
import io.headroom.compose.FileEdit;
import io.headroom.model.Sha256;
import io.headroom.ssh.ShellQuote;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pushes a {@link FixPlan} to a VM so that each file is at every moment either the old one or the
 * new one, never partial (docs/decisions/0012-push-protocol.md):
 * <ol>
 * <li>the file's SHA-256 must still be the one the scan read, else refuse;</li>
 * <li>upload the new content to a temporary file in the same directory ({@code .NAME.headroom-RANDOM.tmp});</li>
 * <li>compose files: validate with the VM's own {@code docker compose config} / {@code docker-compose config};</li>
 * <li>keep a backup {@code NAME.headroom-<UTC>.bak}, itself written to a temporary file and renamed, so
 * a backup is complete or absent;</li>
 * <li>atomic rename ({@code posix-rename@openssh.com}) over the file;</li>
 * <li>read back and compare the hash.</li>
 * </ol>
 * The whole push holds the exclusive lock of the files' directory on the VM ({@code flock} on
 * {@value #LOCK_NAME}, decision 0020), and the rename happens only when the file's hash is still
 * the one read. Compose edits made on text whose secrets the probe masked are applied to the real
 * file ({@link MaskedEdit}, decision 0019).
 * In env mode the {@code .env} value is pushed first, then the compose files. Rollback puts the
 * newest backup back the same way, {@link #rollbackTo} any backup (decision 0021). Every step lands
 * in the {@link AuditLog}.
 */
public final class Pusher {
    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    /** {@code NAME.headroom-20261127T040000Z.bak} or, for a second push within the same second, {@code …Z-2.bak}. */
    static final Pattern BACKUP = Pattern.compile("^(.+)\\.headroom-(\\d{8}T\\d{6}Z)(?:-(\\d+))?\\.bak$");
    static final Pattern TEMP = Pattern.compile("^\\.(.+)\\.headroom-[0-9a-f]{12}\\.tmp$");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The lock file beside the pushed files ({@code flock}, decision 0020); it stays there, empty. */
    static final String LOCK_NAME = PushLock.LOCK_NAME;
    /** How long a push waits for another push's lock by default, in seconds. */
    static final int LOCK_WAIT_SECONDS = PushLock.WAIT_SECONDS;

    private final VmFiles vm;
    private final AuditLog audit;
    private final String target;
    private final boolean sudoAllowed;
    private final Clock clock;
    private int lockWaitSeconds = LOCK_WAIT_SECONDS;

    /**
     * @param vm          the VM's files and commands
     * @param audit       where every action is recorded
     * @param target      the target as the user named it (for messages and the audit log)
     * @param sudoAllowed whether docker commands may be retried with {@code sudo -n} when the plain one is refused
     */
    public Pusher(VmFiles vm, AuditLog audit, String target, boolean sudoAllowed) {
        this(vm, audit, target, sudoAllowed, Clock.systemUTC());
    }

    Pusher(VmFiles vm, AuditLog audit, String target, boolean sudoAllowed, Clock clock) {
        this.vm = vm;
        this.audit = audit;
        this.target = target;
        this.sudoAllowed = sudoAllowed;
        this.clock = clock;
    }

    /** How long to wait for another push's lock (seconds, at least 1). */
    Pusher lockWait(int seconds) {
        this.lockWaitSeconds = Math.max(1, seconds);
        return this;
    }

    /**
     * The outcome of one file.
     *
     * @param path      the file on the VM
     * @param backup    the backup kept of the previous content, or null when there was no file
     * @param shaBefore SHA-256 of the previous content (of the empty string when there was no file)
     * @param shaAfter  SHA-256 read back after the rename
     * @param result    "ok" or what went wrong
     */
    public record Step(String path, String backup, String shaBefore, String shaAfter, String result) {
    }

    /** Output of a restart. */
    public record Restart(String command, int status, String out, String err, List<String> notes) {
        public Restart {
            notes = List.copyOf(notes);
        }

        public boolean ok() {
            return status == 0;
        }
    }

    /** Where the .env of a plan lives: the project directory, which compose reads it from. */
    public static String envPath(FixPlan plan) {
        return plan.workingDir() + "/.env";
    }

    /** Applies the plan: the .env value first (env mode), then the compose files. Stops at the first failure. */
    public List<Step> apply(FixPlan plan) throws IOException {
        if (plan.refusal() != null) {
            throw new IOException("refusing: " + plan.refusal());
        }
        List<String> paths = new ArrayList<>(plan.edits().stream().map(FileEdit::path).toList());
        if (plan.envMode()) {
            paths.add(envPath(plan));
        }
        try (PushLock ignored = lock(paths)) {
            return applyLocked(plan, paths);
        }
    }

    private List<Step> applyLocked(FixPlan plan, List<String> paths) throws IOException {
        List<Step> steps = new ArrayList<>();
        for (String p : paths) {
            removeStaleTemporaries(p);
        }
        if (plan.envMode()) {
            String env = envPath(plan);
            boolean existed = vm.exists(env);
            byte[] old = existed ? vm.read(env) : new byte[0];
            String updated = DotEnvEditor.setAvailableMemory(text(old), plan.bytes());
            if (!updated.equals(text(old))) {
                steps.add(replace(plan, env, null, old, existed, updated.getBytes(StandardCharsets.UTF_8), false));
            }
        }
        for (int i = 0; i < plan.edits().size(); i++) {
            FileEdit e = plan.edits().get(i);
            byte[] current = vm.read(e.path());
            String shaNow = checkUnchanged(e.path(), plan.shaBefore().get(i), current);
            String content;
            try {
                // the scan saw the file with its secrets masked: the same edit, on the real file
                content = MaskedEdit.apply(text(current), e.before(), e.after());
            } catch (MaskedEdit.Refused r) {
                audit.record(target, e.path(), shaNow, null, null, "apply", "refused: " + r.getMessage());
                throw new IOException(e.path() + " on " + target + ": " + r.getMessage() + "; nothing was written");
            }
            steps.add(replace(plan, e.path(), plan.shaBefore().get(i), current, true, content.getBytes(StandardCharsets.UTF_8), true));
        }
        return steps;
    }

    /**
     * Restarts only the plan's services: {@code up -d --no-deps SERVICE…}. Workers restart and the
     * tasks running on them are lost. In env mode the login environment's
     * {@code AVAILABLE_MEMORY_FOR_DASK} is unset for the restart so the pushed {@code .env} applies
     * (compose prefers the environment); a differing exported value is reported as a note.
     */
    public Restart restart(FixPlan plan) throws IOException {
        List<String> notes = new ArrayList<>();
        String unset = "";
        if (plan.envMode()) {
            VmFiles.Exec env = vm.exec("printenv AVAILABLE_MEMORY_FOR_DASK", Duration.ofSeconds(20));
            String exported = env.out().strip();
            if (env.status() == 0 && !exported.isEmpty() && !exported.equals(Long.toString(plan.bytes()))) {
                notes.add("the login environment on " + target + " exports AVAILABLE_MEMORY_FOR_DASK=" + exported
                        + " (e.g. from /etc/environment or a profile script); compose prefers it to .env, so a plain"
                        + " 'docker-compose up' there would use it. Headroom restarted with it unset; fix that export"
                        + " or use the boot snippet (headroom boot-snippet --env-file PATH).");
            }
            unset = "unset AVAILABLE_MEMORY_FOR_DASK; ";
        }
        StringBuilder services = new StringBuilder();
        for (String s : plan.services()) {
            services.append(' ').append(ShellQuote.quote(s));
        }
        String args = " -p " + ShellQuote.quote(plan.project()) + fileArgs(plan, null, null) + " up -d --no-deps" + services;
        Docker r = compose(plan, unset, args);
        audit.record(target, plan.workingDir(), null, null, null, "restart " + String.join(",", plan.services()),
                r.exec.status() == 0 ? "ok" : "failed: " + firstLine(r.exec.err()));
        return new Restart(r.command, r.exec.status(), r.exec.out(), r.exec.err(), notes);
    }

    /**
     * Puts back the newest Headroom backup of each of {@code paths} (files without a backup are
     * skipped). Refuses a file whose content is no longer what Headroom pushed (according to this
     * machine's audit log), since restoring would silently drop someone's later change.
     */
    public List<Step> rollback(List<String> paths) throws IOException {
        try (PushLock ignored = lock(paths)) {
            return rollbackLocked(paths);
        }
    }

    private List<Step> rollbackLocked(List<String> paths) throws IOException {
        List<Step> steps = new ArrayList<>();
        for (String path : paths) {
            Optional<String> backup = newestBackup(path);
            if (backup.isEmpty()) {
                continue;
            }
            byte[] current = vm.exists(path) ? vm.read(path) : new byte[0];
            String shaNow = Sha256.hex(current);
            Optional<AuditLog.Entry> pushed = audit.lastApply(target, path, backup.get());
            if (pushed.isPresent() && pushed.get().sha256After() != null && !pushed.get().sha256After().equals(shaNow)) {
                audit.record(target, path, shaNow, null, backup.get(), "rollback", "refused: changed since Headroom pushed it");
                throw new IOException(path + " on " + target + " changed after Headroom pushed it (sha256 " + shaNow.substring(0, 12)
                        + "… ≠ " + pushed.get().sha256After().substring(0, 12) + "…); restoring " + backup.get()
                        + " would drop that change. Compare them by hand.");
            }
            steps.add(restore(path, backup.get(), current));
        }
        return steps;
    }

    /** Writes {@code backup}'s content over {@code path} (whose content is {@code current}) through a temporary file, under the lock. */
    private Step restore(String path, String backup, byte[] current) throws IOException {
        String shaNow = Sha256.hex(current);
        byte[] old = vm.read(backup);
        int mode = vm.exists(path) ? vm.mode(path) : vm.mode(backup);
        String tmp = tmpName(path);
        vm.writeNew(tmp, old, mode);
        try {
            commit(tmp, path, shaNow);
        } catch (IOException e) {
            removeQuietly(tmp);
            audit.record(target, path, shaNow, null, backup, "rollback", outcome(e));
            throw e;
        }
        return readBack(path, backup, shaNow, old, "rollback", "hash mismatch after rollback");
    }

    /** "refused: …" when nothing was replaced on purpose, "failed: …" otherwise (for the audit log). */
    private static String outcome(Exception e) {
        return (e instanceof CommitRefused ? "refused: " : "failed: ") + e.getMessage();
    }

    /** Reads {@code path} back after a rename: its hash must be that of {@code content}; records the action either way. */
    private Step readBack(String path, String backup, String shaBefore, byte[] content, String action, String mismatch)
            throws IOException {
        String after = Sha256.hex(vm.read(path));
        String result = after.equals(Sha256.hex(content)) ? "ok" : mismatch;
        audit.record(target, path, shaBefore, after, backup, action, result);
        if (!result.equals("ok")) {
            throw new IOException(path + ": " + result);
        }
        return new Step(path, backup, shaBefore, after, result);
    }

    /**
     * Removes temporary files an interrupted earlier push left beside {@code path}
     * ({@code .NAME.headroom-RANDOM.tmp}); they never replaced anything. Returns how many.
     */
    public int removeStaleTemporaries(String path) throws IOException {
        int slash = path.lastIndexOf('/');
        String dir = slash <= 0 ? "/" : path.substring(0, slash);
        String name = path.substring(slash + 1);
        int removed = 0;
        List<String> names;
        try {
            names = vm.list(dir);
        } catch (IOException e) {
            return 0;
        }
        for (String n : names) {
            Matcher m = TEMP.matcher(n);
            if (m.matches() && m.group(1).equals(name)) {
                vm.remove((slash <= 0 ? "/" : dir + "/") + n);
                removed++;
            }
        }
        if (removed > 0) {
            audit.record(target, path, null, null, null, "cleanup", "removed " + removed + " temporary file(s) of an interrupted push");
        }
        return removed;
    }

    /** The newest {@code NAME.headroom-<UTC>.bak} beside {@code path}, if any. */
    public Optional<String> newestBackup(String path) throws IOException {
        List<String> all = backups(path);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /** Every {@code NAME.headroom-<UTC>[-N].bak} beside {@code path}, newest first (none when the directory cannot be listed). */
    public List<String> backups(String path) throws IOException {
        int slash = path.lastIndexOf('/');
        String dir = slash <= 0 ? "/" : path.substring(0, slash);
        String name = path.substring(slash + 1);
        List<String> names;
        try {
            names = vm.list(dir);
        } catch (IOException e) {
            return List.of();
        }
        return names.stream().map(BACKUP::matcher).filter(Matcher::matches).filter(m -> m.group(1).equals(name))
                .sorted(Comparator.comparing((Matcher m) -> m.group(2))
                        .thenComparingInt(m -> m.group(3) == null ? 1 : Integer.parseInt(m.group(3))).reversed())
                .map(m -> (slash <= 0 ? "/" : dir + "/") + m.group(0)).toList();
    }

    /** The file a backup belongs to ({@code DIR/NAME.headroom-<UTC>[-N].bak} → {@code DIR/NAME}), or null for another name. */
    public static String originalOf(String backup) {
        int slash = backup.lastIndexOf('/');
        Matcher m = BACKUP.matcher(backup.substring(slash + 1));
        return slash < 0 || !m.matches() ? null : backup.substring(0, slash + 1) + m.group(1);
    }

    /** The UTC time in a backup's name ({@code 20261127T040506Z} → {@code 2026-11-27T04:05:06Z}), or null. */
    public static String stampOf(String backup) {
        Matcher m = BACKUP.matcher(backup.substring(backup.lastIndexOf('/') + 1));
        if (!m.matches()) {
            return null;
        }
        String t = m.group(2);
        return t.substring(0, 4) + "-" + t.substring(4, 6) + "-" + t.substring(6, 8) + "T" + t.substring(9, 11) + ":"
                + t.substring(11, 13) + ":" + t.substring(13, 15) + "Z" + (m.group(3) == null ? "" : " (#" + m.group(3) + ")");
    }

    /**
     * Puts {@code backup} (any Headroom backup, not only the newest) back over its file, under the
     * lock. Refuses unless the file is exactly what Headroom last wrote there according to this
     * machine's audit log: restoring over anything else would drop a change Headroom never saw.
     */
    public Step rollbackTo(String backup) throws IOException {
        String path = originalOf(backup);
        if (path == null) {
            throw new IOException(backup + " is not a Headroom backup (NAME.headroom-<UTC>.bak)");
        }
        try (PushLock ignored = lock(List.of(path))) {
            if (!vm.exists(backup)) {
                throw new IOException("no backup " + backup + " on " + target);
            }
            byte[] current = vm.exists(path) ? vm.read(path) : new byte[0];
            String shaNow = Sha256.hex(current);
            Optional<AuditLog.Entry> last = audit.lastWrite(target, path);
            if (last.isEmpty() || !shaNow.equals(last.get().sha256After())) {
                String why = last.isEmpty()
                        ? "this machine's audit log (" + audit.file() + ") has no push by Headroom to " + path + " on " + target
                        : path + " on " + target + " is not the file Headroom wrote there (sha256 now " + shaNow.substring(0, 12)
                        + "…, Headroom left " + abbreviate(last.get().sha256After()) + " at " + last.get().time() + ")";
                audit.record(target, path, shaNow, null, backup, "rollback", "refused: " + why);
                throw new IOException(why + "; restoring " + backup + " would drop a change Headroom never saw. Compare them by hand.");
            }
            return restore(path, backup, current);
        }
    }

    private static String abbreviate(String sha) {
        return sha == null ? "nothing" : sha.substring(0, Math.min(12, sha.length())) + "…";
    }

    /** The SHA-256 of {@code current}; refuses (audit line, IOException) when it is not {@code expectedSha} (null: any). */
    private String checkUnchanged(String path, String expectedSha, byte[] current) throws IOException {
        String shaNow = Sha256.hex(current);
        if (expectedSha != null && !shaNow.equals(expectedSha)) {
            audit.record(target, path, shaNow, null, null, "apply", "refused: changed since the scan");
            throw new IOException(path + " changed on " + target + " since the scan (sha256 " + shaNow.substring(0, 12)
                    + "… ≠ " + expectedSha.substring(0, 12) + "…): scan again before fixing");
        }
        return shaNow;
    }

    private Step replace(FixPlan plan, String path, String expectedSha, byte[] current, boolean existed, byte[] content,
                         boolean validate) throws IOException {
        String shaNow = checkUnchanged(path, expectedSha, current);
        int mode = existed ? vm.mode(path) : 0644;
        String tmp = tmpName(path);
        String backup = null;
        try {
            vm.writeNew(tmp, content, mode);
            if (validate) {
                validateOnVm(plan, path, tmp);
            }
            backup = keepBackup(path, current, mode);
            commit(tmp, path, shaNow);
        } catch (IOException | RuntimeException e) {
            removeQuietly(tmp);
            if (e instanceof CommitRefused && backup != null) {
                // nothing was replaced: the backup of this attempt is no backup of a push
                removeQuietly(backup);
                backup = null;
            }
            audit.record(target, path, shaNow, null, backup, "apply", outcome(e));
            throw e;
        }
        return readBack(path, backup, shaNow, content, "apply", "hash mismatch: the file on the VM is not what was sent");
    }

    /** The commit was refused (lock held, file changed, no flock): nothing was replaced. */
    static final class CommitRefused extends IOException {
        private static final long serialVersionUID = 1L;

        CommitRefused(String message) {
            super(message);
        }
    }

    /** The locks of every directory {@code paths} lie in ({@link PushLock#take}). */
    private PushLock lock(List<String> paths) throws IOException {
        return PushLock.take(vm, audit, target, paths, lockWaitSeconds);
    }

    /** The lock file in a file's directory that every Headroom push there holds while it commits. */
    static String lockPath(String path) {
        return PushLock.lockPath(path);
    }

    /**
     * Renames {@code tmp} over {@code path} on the VM, under the lock {@link #lock} took, only when
     * {@code path} still has the hash {@code expectedSha}: an edit that landed since the push read
     * the file is never overwritten.
     */
    private void commit(String tmp, String path, String expectedSha) throws IOException {
        String p = ShellQuote.quote(path);
        String cmd = "if [ -e " + p + " ]; then cur=$(sha256sum < " + p + " | cut -d' ' -f1); else cur=" + Sha256.hex(new byte[0])
                + "; fi; if [ \"$cur\" != " + expectedSha + " ]; then echo \"$cur\"; exit 74; fi; "
                + "mv -f -- " + ShellQuote.quote(tmp) + " " + p;
        VmFiles.Exec r = vm.exec(cmd, COMMAND_TIMEOUT);
        if (r.status() == 74) {
            String now = r.out().strip();
            throw new CommitRefused(path + " changed on " + target + " while this push was under way (sha256 "
                    + (now.length() >= 12 ? now.substring(0, 12) : now) + "… ≠ " + expectedSha.substring(0, 12)
                    + "…, an edit outside Headroom); nothing was replaced. Scan again before fixing");
        }
        if (r.status() != 0) {
            throw new IOException("cannot replace " + path + " on " + target + ": " + firstLine(r.err()) + " (exit " + r.status() + ")");
        }
    }

    /** Writes the backup under a temporary name and renames it, so a backup is whole or absent. */
    private String keepBackup(String path, byte[] current, int mode) throws IOException {
        String base = path + ".headroom-" + STAMP.format(clock.instant());
        String backup = base + ".bak";
        for (int n = 2; vm.exists(backup); n++) {
            backup = base + "-" + n + ".bak";
        }
        String tmp = tmpName(path);
        try {
            vm.writeNew(tmp, current, mode);
            vm.atomicReplace(tmp, backup);
        } catch (IOException | RuntimeException e) {
            removeQuietly(tmp);
            throw e;
        }
        return backup;
    }

    /** The VM's own compose validates the new file together with the project's other files. */
    private void validateOnVm(FixPlan plan, String path, String tmp) throws IOException {
        Docker r = compose(plan, "", fileArgs(plan, path, tmp) + " config -q");
        if (r.exec.status() != 0) {
            audit.record(target, path, null, null, null, "validate", "rejected: " + firstLine(r.exec.err()));
            throw new IOException("compose on " + target + " rejects the new " + path + ": " + r.exec.err().strip());
        }
    }

    private static String fileArgs(FixPlan plan, String replaced, String by) {
        StringBuilder files = new StringBuilder(" --project-directory ").append(ShellQuote.quote(plan.workingDir()));
        for (String f : plan.files()) {
            files.append(" -f ").append(ShellQuote.quote(f.equals(replaced) ? by : f));
        }
        return files.toString();
    }

    private record Docker(String command, VmFiles.Exec exec) {
    }

    /**
     * Runs compose (v2 plugin when present, else docker-compose v1) in the project directory; when
     * docker refuses for lack of rights and sudo is allowed, once more with {@code sudo -n}.
     */
    private Docker compose(FixPlan plan, String prefix, String args) throws IOException {
        String cmd = command(plan, prefix, "", args);
        VmFiles.Exec r = vm.exec(cmd, COMMAND_TIMEOUT);
        if (r.status() != 0 && sudoAllowed && r.err().toLowerCase(Locale.ROOT).contains("permission denied")) {
            cmd = command(plan, prefix, "sudo -n ", args);
            r = vm.exec(cmd, COMMAND_TIMEOUT);
        }
        return new Docker(cmd, r);
    }

    private static String command(FixPlan plan, String prefix, String sudo, String args) {
        return prefix + "cd " + ShellQuote.quote(plan.workingDir()) + " && { if " + sudo + "docker compose version >/dev/null 2>&1;"
                + " then " + sudo + "docker compose" + args + "; else " + sudo + "docker-compose" + args + "; fi; }";
    }

    private void removeQuietly(String path) {
        try {
            if (vm.exists(path)) {
                vm.remove(path);
            }
        } catch (IOException | RuntimeException ignored) {
            // a leftover temporary file never replaces anything; the next push lists it
        }
    }

    static String tmpName(String path) {
        int slash = path.lastIndexOf('/');
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return path.substring(0, slash + 1) + "." + path.substring(slash + 1) + ".headroom-" + HexFormat.of().formatHex(b) + ".tmp";
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}
