package io.headroom.ssh.mina;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * What a test against in-process MINA servers starts with: a temporary directory, a {@link MinaFixture} in it
 * (its servers and registered closeables closed after each test) and a recording prompter. JUnit runs these
 * before a subclass's own {@code @BeforeEach} and after its {@code @AfterEach}.
 */
abstract class MinaTest {
    @TempDir
    Path tmp;
    MinaFixture fx;
    MinaFixture.RecordingPrompter prompter;

    @BeforeEach
    void openFixture() {
        fx = new MinaFixture(tmp);
        prompter = new MinaFixture.RecordingPrompter();
    }

    @AfterEach
    void closeFixture() {
        fx.close();
    }
}
