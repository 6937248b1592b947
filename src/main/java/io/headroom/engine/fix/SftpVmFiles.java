package io.headroom.engine.fix;

import io.headroom.ssh.RemoteFiles;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@link VmFiles} over one SSH connection: SFTP for files, exec channels for commands. */
public final class SftpVmFiles implements VmFiles {
    private final RemoteFiles remote;
    private final Runnable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    public SftpVmFiles(RemoteFiles remote) {
        this(remote, () -> { });
    }

    /** @param onClose runs once after {@link #close()} closed the SFTP session (ends a connection lease) */
    public SftpVmFiles(RemoteFiles remote, Runnable onClose) {
        this.remote = remote;
        this.onClose = onClose;
    }

    @Override
    public byte[] read(String path) throws IOException {
        return remote.read(path);
    }

    @Override
    public void writeNew(String path, byte[] content, int mode) throws IOException {
        remote.writeNew(path, content, mode);
    }

    @Override
    public int mode(String path) throws IOException {
        return remote.mode(path);
    }

    @Override
    public boolean exists(String path) throws IOException {
        return remote.exists(path);
    }

    @Override
    public List<String> list(String dir) throws IOException {
        return remote.list(dir);
    }

    @Override
    public void atomicReplace(String from, String to) throws IOException {
        remote.atomicReplace(from, to);
    }

    @Override
    public void remove(String path) throws IOException {
        remote.remove(path);
    }

    @Override
    public Exec exec(String command, Duration timeout) throws IOException {
        RemoteFiles.Exec e = remote.exec(command, timeout);
        return new Exec(e.status(), e.out(), e.err());
    }

    @Override
    public Held hold(String command, Duration timeout) throws IOException {
        RemoteFiles.Held h = remote.hold(command, timeout);
        return new Held() {
            @Override
            public String firstLine() {
                return h.firstLine();
            }

            @Override
            public String stderr() {
                return h.stderr().get();
            }

            @Override
            public void close() throws IOException {
                h.close();
            }
        };
    }

    @Override
    public String user() {
        return remote.user();
    }

    @Override
    public void close() throws IOException {
        try {
            remote.close();
        } finally {
            if (closed.compareAndSet(false, true)) {
                onClose.run();
            }
        }
    }
}
