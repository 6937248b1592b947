/**
 * The SSH transport (sshj): OpenSSH client configuration through {@code ssh -G}, strict host-key
 * checking against known_hosts with trust-on-first-use by SHA256 fingerprint, authentication
 * (ssh-agent, identity files, password / keyboard-interactive prompts never stored), jump hosts,
 * warm connections, and the probe over an exec channel with caps and time limits.
 */
package io.headroom.ssh;
