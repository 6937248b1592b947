package io.headroom.engine;

import io.headroom.probe.LocalProbeRunner;
import io.headroom.probe.ProbeException;
import io.headroom.probe.ProbeRunner;
import io.headroom.ssh.Prompter;
import io.headroom.ssh.SshConfigResolver;
import io.headroom.ssh.SshConnectionPool;
import io.headroom.ssh.SshConnector;
import io.headroom.ssh.SshProbeRunner;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Reaches targets: {@code local} through a local process, anything else over SSH with warm
 * connections kept for the next refresh. Close it to drop the connections.
 */
public final class TransportRunners implements ProbeRunners, AutoCloseable {
    /**
     * @param sshConfig      an explicit ssh config file ({@code ssh -F}), or null for the user's
     * @param connectTimeout default connect timeout when the config sets none
     * @param sudo           how the probe may use {@code sudo -n docker}
     */
    public record Options(Path sshConfig, Duration connectTimeout, SshProbeRunner.SudoMode sudo) {
        public static final Options DEFAULTS = new Options(null, Duration.ofSeconds(10), SshProbeRunner.SudoMode.AUTO);
    }

    private final SshConnectionPool pool;
    private final Options options;

    public TransportRunners(Prompter prompter, Options options) {
        this.options = options;
        SshConfigResolver resolver = new SshConfigResolver("ssh", options.sshConfig());
        this.pool = new SshConnectionPool(new SshConnector(resolver, prompter, options.connectTimeout(), true));
    }

    @Override
    public ProbeRunner forTarget(String target) throws ProbeException {
        if (ScanEngine.LOCAL.equals(target)) {
            return new LocalProbeRunner();
        }
        return new SshProbeRunner(pool, target, options.sudo());
    }

    /** Warm connections currently open. */
    public int warmConnections() {
        return pool.size();
    }

    @Override
    public void close() {
        pool.close();
    }
}
