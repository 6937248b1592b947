package io.headroom.ssh.agent;

import java.io.IOException;

/**
 * The ssh-agent could not be used: it refused a request ({@code SSH_AGENT_FAILURE}), answered
 * too late, too much or nonsense, or closed the connection. The message names the agent socket
 * and what was asked; it never contains key material.
 */
public final class AgentException extends IOException {
    private static final long serialVersionUID = 1L;

    public AgentException(String message) {
        super(message);
    }

    public AgentException(String message, Throwable cause) {
        super(message, cause);
    }
}
