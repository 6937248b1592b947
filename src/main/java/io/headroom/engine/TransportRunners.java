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

    /** Per-target settings from a cluster: jump host and sudo mode (null = the defaults). */
    public record TargetOptions(String jump, SshProbeRunner.SudoMode sudo) {
    }

    private final SshConnectionPool pool;
    private final Options options;
    private final java.util.Map<String, TargetOptions> perTarget;

    public TransportRunners(Prompter prompter, Options options) {
        this(prompter, options, java.util.Map.of());
    }

    public TransportRunners(Prompter prompter, Options options, java.util.Map<String, TargetOptions> perTarget) {
        this.options = options;
        this.perTarget = java.util.Map.copyOf(perTarget);
        SshConfigResolver resolver = new SshConfigResolver("ssh", options.sshConfig());
        this.pool = new SshConnectionPool(new SshConnector(resolver, prompter, options.connectTimeout(), true),
                t -> this.perTarget.containsKey(t) ? this.perTarget.get(t).jump() : null);
    }

    @Override
    public ProbeRunner forTarget(String target) throws ProbeException {
        if (ScanEngine.LOCAL.equals(target)) {
            return new LocalProbeRunner();
        }
        return new SshProbeRunner(pool, target, sudoMode(target));
    }

    /**
     * Leases the warm SSH connection to a target (connecting when needed), for file operations
     * beside the probe; {@link #release(String, SshConnector.Connection)} it when done.
     */
    public SshConnector.Connection connection(String target) throws io.headroom.ssh.SshException {
        return pool.get(target);
    }

    /** Ends a lease from {@link #connection(String)} on that connection. */
    public void release(String target, SshConnector.Connection connection) {
        pool.release(target, connection);
    }

    @Override
    public void keepWarm(int connections) {
        pool.keepWarm(connections);
    }

    /** Drops a target's connection after it failed mid-use. */
    public void invalidate(String target) {
        pool.invalidate(target);
    }

    /** The sudo mode for a target (its cluster's, else the global option). */
    public SshProbeRunner.SudoMode sudoMode(String target) {
        TargetOptions o = perTarget.get(target);
        return o != null && o.sudo() != null ? o.sudo() : options.sudo();
    }

    /** SSH connections currently open (leased or idle). */
    public int warmConnections() {
        return pool.size();
    }

    @Override
    public void close() {
        pool.close();
    }
}
