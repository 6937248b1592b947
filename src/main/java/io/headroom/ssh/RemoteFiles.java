package io.headroom.ssh;

import io.headroom.probe.CappedCollector;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.sftp.OpenMode;
import net.schmizz.sshj.sftp.PacketType;
import net.schmizz.sshj.sftp.RemoteFile;
import net.schmizz.sshj.sftp.Response;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.sftp.SFTPEngine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
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
        this.sftp = connection.client().newSFTPClient();
    }

    /** The whole file, or an IOException when larger than {@link #MAX_FILE_BYTES}. */
    public byte[] read(String path) throws IOException {
        try (RemoteFile f = sftp.open(path, EnumSet.of(OpenMode.READ)); InputStream in = f.new RemoteFileInputStream()) {
            byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) {
                throw new IOException(path + " is larger than " + MAX_FILE_BYTES + " bytes; refusing to handle it");
            }
            return bytes;
        }
    }

    /** Creates (exclusively) and writes a whole file with the given permissions. */
    public void writeNew(String path, byte[] content, int mode) throws IOException {
        net.schmizz.sshj.sftp.FileAttributes attrs = new net.schmizz.sshj.sftp.FileAttributes.Builder().withPermissions(mode).build();
        try (RemoteFile f = sftp.open(path, EnumSet.of(OpenMode.WRITE, OpenMode.CREAT, OpenMode.EXCL), attrs);
             OutputStream out = f.new RemoteFileOutputStream(0, 16)) {
            out.write(content);
        }
    }

    /** Permission bits of a file. */
    public int mode(String path) throws IOException {
        return sftp.stat(path).getMode().getPermissionsMask();
    }

    public boolean exists(String path) throws IOException {
        return sftp.statExistence(path) != null;
    }

    /** Replaces {@code to} with {@code from} atomically (rename(2) on the VM), or fails without change. */
    public void atomicReplace(String from, String to) throws IOException {
        SFTPEngine engine = sftp.getSFTPEngine();
        if (!engine.supportsServerExtension("posix-rename@openssh.com", "1")) {
            throw new IOException("the VM's SFTP server lacks posix-rename@openssh.com; refusing a non-atomic replace");
        }
        Response r = engine.request(engine.newExtendedRequest("posix-rename@openssh.com").putString(from).putString(to))
                .retrieve(engine.getTimeoutMs(), TimeUnit.MILLISECONDS);
        r.ensurePacketTypeIs(PacketType.STATUS).ensureStatusPacketIsOK();
    }

    public void remove(String path) throws IOException {
        sftp.rm(path);
    }

    /** Output of a remote command. */
    public record Exec(int status, String out, String err) {
    }

    /** Runs a command (already quoted) with a deadline; output capped at 256 KiB. */
    public Exec exec(String command, Duration timeout) throws IOException {
        try (Session s = connection.client().startSession()) {
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

    public static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        sftp.close();
    }
}
