package io.headroom.engine.fix;

import io.headroom.probe.CappedCollector;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** {@link VmFiles} for the {@code local} target: this machine's files and {@code sh -c}. */
public final class LocalVmFiles implements VmFiles {
    @Override
    public byte[] read(String path) throws IOException {
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            byte[] b = in.readNBytes(MAX_FILE_BYTES + 1);
            if (b.length > MAX_FILE_BYTES) {
                throw new IOException(path + " is larger than " + MAX_FILE_BYTES + " bytes; refusing to handle it");
            }
            return b;
        }
    }

    @Override
    public void writeNew(String path, byte[] content, int mode) throws IOException {
        Path p = Path.of(path);
        try (OutputStream out = Files.newOutputStream(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            Files.setPosixFilePermissions(p, permissions(mode));
            out.write(content);
            out.flush();
        } catch (FileSystemException e) {
            throw new IOException("cannot write " + path + ": " + e.getReason(), e);
        }
    }

    @Override
    public int mode(String path) throws IOException {
        int m = 0;
        for (PosixFilePermission p : Files.getPosixFilePermissions(Path.of(path))) {
            m |= 1 << (8 - p.ordinal());
        }
        return m;
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission p : PosixFilePermission.values()) {
            if ((mode & (1 << (8 - p.ordinal()))) != 0) {
                s.add(p);
            }
        }
        return s;
    }

    @Override
    public boolean exists(String path) {
        return Files.exists(Path.of(path));
    }

    @Override
    public List<String> list(String dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of(dir))) {
            s.forEach(p -> names.add(p.getFileName().toString()));
        }
        return names;
    }

    @Override
    public void atomicReplace(String from, String to) throws IOException {
        try {
            Files.move(Path.of(from), Path.of(to), StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot replace " + to + " atomically: " + e.getMessage(), e);
        }
    }

    @Override
    public void remove(String path) throws IOException {
        Files.delete(Path.of(path));
    }

    @Override
    public Exec exec(String command, Duration timeout) throws IOException {
        Process p = new ProcessBuilder("sh", "-c", command).start();
        p.getOutputStream().close();
        CappedCollector out = CappedCollector.head(p.getInputStream(), 256 * 1024, "local-out");
        CappedCollector err = CappedCollector.tail(p.getErrorStream(), 16 * 1024, "local-err");
        try {
            if (!p.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IOException("'" + command + "' did not finish within " + timeout.toSeconds() + " s");
            }
            out.await(1000);
            err.await(1000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("cancelled");
        }
        return new Exec(p.exitValue(), out.text(), err.text());
    }

    @Override
    public Held hold(String command, Duration timeout) throws IOException {
        Process p = new ProcessBuilder("sh", "-c", command).start();
        CappedCollector err = CappedCollector.tail(p.getErrorStream(), 16 * 1024, "local-hold-err");
        String line;
        try {
            line = io.headroom.ssh.RemoteFiles.firstLine(p.getInputStream(), timeout);
        } catch (IOException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw e;
        }
        return new Held() {
            @Override
            public String firstLine() {
                return line;
            }

            @Override
            public String stderr() {
                return err.text();
            }

            @Override
            public void close() throws IOException {
                p.getOutputStream().close();
                try {
                    if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                        p.descendants().forEach(ProcessHandle::destroyForcibly);
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    @Override
    public String user() {
        return System.getProperty("user.name");
    }

    @Override
    public void close() {
        // nothing held
    }
}
