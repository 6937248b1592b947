package io.headroom.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Problems are told in words a user knows, not in the probe's section names. */
class SectionProblemTest {
    @Test
    void plainWords() {
        assertEquals("the container list (docker ps): could not be read: docker CLI not found",
                new SectionProblem("docker-ps", "-", SectionProblem.Kind.UNAVAILABLE, "docker CLI not found").describe());
        assertEquals("the cgroup memory files of 3f2a: cut short: 262144 bytes",
                new SectionProblem("container-cgroup", "3f2a", SectionProblem.Kind.TRUNCATED, "262144 bytes").describe());
        assertEquals("the compose file of /srv/c.yml: not understood: bad YAML",
                new SectionProblem("compose-file", "/srv/c.yml", SectionProblem.Kind.UNREADABLE, "bad YAML").describe());
        assertEquals("future-section: could not be read: x",
                new SectionProblem("future-section", "-", SectionProblem.Kind.UNAVAILABLE, "x").describe());
    }
}
