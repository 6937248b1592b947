package io.headroom.model;

/**
 * A compose file named by a container's labels, as read on the host.
 *
 * @param path      absolute path on the host
 * @param sha256    hex SHA-256 of the whole file as the host computed it
 * @param content   the content (possibly cut at the probe's cap)
 * @param truncated true when content is incomplete
 */
public record ComposeFile(String path, String sha256, String content, boolean truncated) {
}
