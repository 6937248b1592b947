/**
 * ssh-agent support for sshj (which has none): {@link io.headroom.ssh.agent.AgentClient} speaks the
 * agent protocol (draft-miller-ssh-agent) over the Unix socket named by {@code SSH_AUTH_SOCK}, with a
 * reply size cap and a time limit; {@link io.headroom.ssh.agent.AgentAuthMethod} is the
 * {@code publickey} method whose signature the agent computes. Private keys never enter Headroom.
 */
package io.headroom.ssh.agent;
