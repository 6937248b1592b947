package io.headroom.engine.fix;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** A {@link VmFiles} passing every call to a real one; tests override the call they time. */
class VmFilesDelegate implements VmFiles {
    private final VmFiles real;

    VmFilesDelegate(VmFiles real) {
        this.real = real;
    }

    @Override
    public byte[] read(String path) throws IOException {
        return real.read(path);
    }

    @Override
    public void writeNew(String path, byte[] content, int mode) throws IOException {
        real.writeNew(path, content, mode);
    }

    @Override
    public int mode(String path) throws IOException {
        return real.mode(path);
    }

    @Override
    public boolean exists(String path) throws IOException {
        return real.exists(path);
    }

    @Override
    public List<String> list(String dir) throws IOException {
        return real.list(dir);
    }

    @Override
    public void atomicReplace(String from, String to) throws IOException {
        real.atomicReplace(from, to);
    }

    @Override
    public void remove(String path) throws IOException {
        real.remove(path);
    }

    @Override
    public Exec exec(String command, Duration timeout) throws IOException {
        return real.exec(command, timeout);
    }

    @Override
    public Held hold(String command, Duration timeout) throws IOException {
        return real.hold(command, timeout);
    }

    @Override
    public String user() {
        return real.user();
    }

    @Override
    public void close() throws IOException {
        real.close();
    }
}
