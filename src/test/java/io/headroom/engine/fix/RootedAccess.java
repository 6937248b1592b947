package io.headroom.engine.fix;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A "VM" whose file system is a temporary directory: real files and real commands on this
 * machine, with every absolute path of the capture placed under {@code root} (so a test never
 * touches the lab's own project files the capture names).
 */
public final class RootedAccess implements FixService.VmAccess {
    private final AtomicInteger opened = new AtomicInteger();
    private final Path root;

    public RootedAccess(Path root) {
        this.root = root;
    }

    /** How many times a VM was opened. */
    public AtomicInteger opened() {
        return opened;
    }

    /** Where a path of the VM lies on this machine. */
    public Path onVm(String path) {
        return Path.of(root + path);
    }

    @Override
    public VmFiles open(String target) {
        opened.incrementAndGet();
        LocalVmFiles local = new LocalVmFiles();
        return new VmFiles() {
            public byte[] read(String p) throws java.io.IOException {
                return local.read(root + p);
            }

            public void writeNew(String p, byte[] c, int mode) throws java.io.IOException {
                local.writeNew(root + p, c, mode);
            }

            public int mode(String p) throws java.io.IOException {
                return local.mode(root + p);
            }

            public boolean exists(String p) {
                return local.exists(root + p);
            }

            public List<String> list(String d) throws java.io.IOException {
                return local.list(root + d);
            }

            public void atomicReplace(String from, String to) throws java.io.IOException {
                local.atomicReplace(root + from, root + to);
            }

            public void remove(String p) throws java.io.IOException {
                local.remove(root + p);
            }

            public Exec exec(String command, java.time.Duration timeout) throws java.io.IOException {
                // commands name the project directory: run them in the rooted copy
                return local.exec(command.replace("'/", "'" + root + "/"), timeout);
            }

            public Held hold(String command, java.time.Duration timeout) throws java.io.IOException {
                return local.hold(command.replace("'/", "'" + root + "/"), timeout);
            }

            public String user() {
                return local.user();
            }

            public void close() {
            }
        };
    }

    @Override
    public boolean sudoAllowed(String target) {
        return false;
    }
}
