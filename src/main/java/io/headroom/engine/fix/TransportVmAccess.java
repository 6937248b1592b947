package io.headroom.engine.fix;

import io.headroom.engine.ScanEngine;
import io.headroom.engine.TransportRunners;
import io.headroom.ssh.RemoteFiles;
import io.headroom.ssh.SshConnector;
import io.headroom.ssh.SshException;
import io.headroom.ssh.SshProbeRunner;

import java.io.IOException;

/**
 * Reaches VMs for a push the way scans reach them: {@code local} on this machine, anything else
 * over the scan's warm SSH connection (same jump host, same credentials, SFTP beside the probe).
 */
public final class TransportVmAccess implements FixService.VmAccess {
    private final TransportRunners runners;

    public TransportVmAccess(TransportRunners runners) {
        this.runners = runners;
    }

    @Override
    public VmFiles open(String target) throws IOException {
        if (ScanEngine.LOCAL.equals(target)) {
            return new LocalVmFiles();
        }
        SshConnector.Connection connection;
        try {
            connection = runners.connection(target);
        } catch (SshException e) {
            throw new IOException(target + ": " + e.getMessage(), e);
        }
        try {
            return new SftpVmFiles(new RemoteFiles(connection), () -> runners.release(target, connection));
        } catch (IOException | RuntimeException e) {
            runners.release(target, connection);
            runners.invalidate(target);
            throw new IOException(target + ": cannot start SFTP: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean sudoAllowed(String target) {
        return !ScanEngine.LOCAL.equals(target) && runners.sudoMode(target) != SshProbeRunner.SudoMode.NEVER;
    }
}
