package io.headroom.ssh;

import io.headroom.probe.CappedCollector;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.sftp.OpenMode;
import net.schmizz.sshj.sftp.PacketType;
import net.schmizz.sshj.sftp.RemoteFile;
import net.schmizz.sshj.sftp.RemoteResourceInfo;
import net.schmizz.sshj.sftp.Response;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.sftp.SFTPEngine;
import net.schmizz.sshj.sftp.SFTPException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * File operations on a VM over one SSH connection: SFTP reads (capped), writes of whole files,
 * atomic replacement with {@code posix-rename@openssh.com}, and commands with a deadline. Callers
 * quote every remote value with {@link ShellQuote}.
 */
public final class RemoteFiles implements AutoCloseable {
    /** Compose files are small: anything larger is refused. */
    public static final int MAX_FILE_BYTES = 4 * 1024 * 1024;
    private final SshConnector.Connection connection;
    private final SFTPClient sftp;

    public RemoteFiles(SshConnector.Connection connection) throws IOException {
        this.connection = connection;
        this.sftp = LostConnection.rethrown(connection.client(), connection.client()::newSFTPClient);
    }

    /** The whole file, or an IOException when larger than {@link #MAX_FILE_BYTES}. */
    public byte[] read(String path) throws IOException {
        try (RemoteFile f = sftp.open(path, EnumSet.of(OpenMode.READ)); InputStream in = f.new RemoteFileInputStream()) {
            byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) {
                throw new IOException(path + " is larger than " + MAX_FILE_BYTES + " bytes; refusing to handle it");
            }
            return bytes;
        } catch (SFTPException e) {
            throw explained("read", path, e);
        }
    }

    /** Creates (exclusively) and writes a whole file with the given permissions. */
    public void writeNew(String path, byte[] content, int mode) throws IOException {
        net.schmizz.sshj.sftp.FileAttributes attrs = new net.schmizz.sshj.sftp.FileAttributes.Builder().withPermissions(mode).build();
        try (RemoteFile f = sftp.open(path, EnumSet.of(OpenMode.WRITE, OpenMode.CREAT, OpenMode.EXCL), attrs);
             OutputStream out = f.new RemoteFileOutputStream(0, 16)) {
            out.write(content);
        } catch (SFTPException e) {
            throw explained("write", path, e);
        }
    }

    /** Permission bits of a file. */
    public int mode(String path) throws IOException {
        try {
            return sftp.stat(path).getMode().getPermissionsMask();
        } catch (SFTPException e) {
            throw explained("stat", path, e);
        }
    }

    /** Names of the entries of a directory. */
    public List<String> list(String dir) throws IOException {
        try {
            List<String> names = new ArrayList<>();
            for (RemoteResourceInfo i : sftp.ls(dir)) {
                names.add(i.getName());
            }
            return names;
        } catch (SFTPException e) {
            throw explained("list", dir, e);
        }
    }

    /** The user this connection is logged in as. */
    public String user() {
        return connection.settings().user();
    }

    public boolean exists(String path) throws IOException {
        return sftp.statExistence(path) != null;
    }

    /**
     * Replaces {@code to} with {@code from} atomically (rename(2) on the VM), or fails without change.
     * sshj keys server extensions as {@code name@domain}: {@code supportsServerExtension("posix-rename", "openssh.com")}.
     */
    public void atomicReplace(String from, String to) throws IOException {
        SFTPEngine engine = sftp.getSFTPEngine();
        if (!engine.supportsServerExtension("posix-rename", "openssh.com")) {
            throw new IOException("the VM's SFTP server lacks posix-rename@openssh.com; refusing a non-atomic replace");
        }
        Response r = engine.request(engine.newExtendedRequest("posix-rename@openssh.com").putString(from).putString(to))
                .retrieve(engine.getTimeoutMs(), TimeUnit.MILLISECONDS);
        try {
            r.ensurePacketTypeIs(PacketType.STATUS).ensureStatusPacketIsOK();
        } catch (SFTPException e) {
            throw explained("rename " + from + " to", to, e);
        }
    }

    public void remove(String path) throws IOException {
        try {
            sftp.rm(path);
        } catch (SFTPException e) {
            throw explained("remove", path, e);
        }
    }

    /**
     * An SFTP status in words. OpenSSH's sftp-server answers ENOSPC and EDQUOT with a bare
     * SSH_FX_FAILURE, so "failure" on a write is explained as the likely causes.
     */
    static IOException explained(String action, String path, SFTPException e) {
        Response.StatusCode code = e.getStatusCode();
        String why = switch (code) {
            case NO_SUCH_FILE -> "no such file or directory";
            case PERMISSION_DENIED -> "permission denied";
            case FAILURE -> action.equals("write") ? "the VM refused the write (disk full, quota, or read-only file system?)"
                    : "the VM reported a failure";
            default -> code.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        };
        String detail = e.getMessage() == null || e.getMessage().isBlank() ? "" : " (" + e.getMessage().strip() + ")";
        return new IOException("cannot " + action + " " + path + ": " + why + detail, e);
    }

    /** Output of a remote command. */
    public record Exec(int status, String out, String err) {
    }

    /** Runs a command (already quoted) with a deadline; output capped at 256 KiB. */
    public Exec exec(String command, Duration timeout) throws IOException {
        try (Session s = LostConnection.rethrown(connection.client(), connection.client()::startSession)) {
            Session.Command c = s.exec(command);
            c.getOutputStream().close();
            CappedCollector out = CappedCollector.head(c.getInputStream(), 256 * 1024, "remote-out");
            CappedCollector err = CappedCollector.tail(c.getErrorStream(), 16 * 1024, "remote-err");
            try {
                if (!out.await(timeout.toMillis())) {
                    throw new IOException("'" + command + "' did not finish within " + timeout.toSeconds() + " s");
                }
                c.join(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
                err.await(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("cancelled");
            }
            Integer status = c.getExitStatus();
            return new Exec(status == null ? -1 : status, out.text(), err.text());
        }
    }

    /**
     * Starts {@code command} (already quoted) and waits up to {@code timeout} for the first line it
     * prints; the command keeps running until the returned handle is closed, which closes its
     * standard input (and the channel). Used to hold a lock on the VM ({@code flock} … {@code read}):
     * a dropped connection closes the input too, so the lock never outlives the session.
     *
     * @return the handle and the first line (null when the command ended without printing one)
     */
    public Held hold(String command, Duration timeout) throws IOException {
        Session s = LostConnection.rethrown(connection.client(), connection.client()::startSession);
        try {
            Session.Command c = s.exec(command);
            CappedCollector err = CappedCollector.tail(c.getErrorStream(), 16 * 1024, "remote-hold-err");
            String line = firstLine(c.getInputStream(), timeout);
            return new Held(line, () -> err.text(), () -> {
                try {
                    c.getOutputStream().close();
                    c.join(10, TimeUnit.SECONDS);
                } finally {
                    s.close();
                }
            });
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** A running command started by {@link #hold}: its first output line; closing ends it. */
    public record Held(String firstLine, java.util.function.Supplier<String> stderr, Closer closer) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            closer.close();
        }
    }

    /** Ends a held command. */
    @FunctionalInterface
    public interface Closer {
        void close() throws IOException;
    }

    /** The first line of {@code in} (without '\n'), null at end of stream; at most 4 KiB; fails after {@code timeout}. */
    public static String firstLine(InputStream in, Duration timeout) throws IOException {
        java.util.concurrent.CompletableFuture<String> f = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
                int c;
                while ((c = in.read()) >= 0 && c != '\n' && b.size() < 4096) {
                    b.write(c);
                }
                return c < 0 && b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, r -> Thread.ofVirtual().start(r));
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException("no answer within " + timeout.toSeconds() + " s");
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof java.io.UncheckedIOException u ? u.getCause() : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("cancelled");
        }
    }

    public static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        sftp.close();
    }
}
