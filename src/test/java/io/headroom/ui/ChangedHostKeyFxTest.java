package io.headroom.ui;

import atlantafx.base.theme.PrimerLight;
import io.headroom.engine.HeadroomVersion;
import io.headroom.engine.ScanEngine;
import io.headroom.engine.TransportRunners;
import io.headroom.engine.inventory.Cluster;
import io.headroom.ssh.SshProbeRunner;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.DialogPane;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A GUI scan of a host whose key changed (an in-process MINA server; known_hosts holds another key
 * for it on line 2): a modal error names host, both fingerprints and the line, and offers no accept.
 */
@ExtendWith(ApplicationExtension.class)
class ChangedHostKeyFxTest {
    @TempDir
    static Path dir;
    private SshServer server;
    private TransportRunners runners;
    private MainViewModel vm;
    private Path knownHosts;
    private String offered;
    private String expected;

    @Start
    void start(Stage stage) throws Exception {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        KeyPair hostKey = ec();
        KeyPair old = ec();
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        server.setPasswordAuthenticator((u, p, s) -> false);
        server.start();
        int port = server.getPort();
        knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, "# lab VMs\n[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(old.getPublic()) + "\n");
        Path cfg = dir.resolve("ssh_config");
        Files.writeString(cfg, "Host vm-changed\n  HostName 127.0.0.1\n  Port " + port + "\n  User u\n"
                + "Host *\n  IdentitiesOnly yes\n  IdentityFile " + dir.resolve("none") + "\n  UserKnownHostsFile " + knownHosts
                + "\n  GlobalKnownHostsFile /dev/null\n  ConnectTimeout 5\n");
        offered = io.headroom.ssh.HostKeys.sha256Fingerprint(hostKey.getPublic());
        expected = io.headroom.ssh.HostKeys.sha256Fingerprint(old.getPublic());
        runners = new TransportRunners(new FxPrompter(() -> stage),
                new TransportRunners.Options(cfg, Duration.ofSeconds(5), SshProbeRunner.SudoMode.NEVER));
        vm = new MainViewModel(new ScanEngine(runners, HeadroomVersion.get()), new FxBackgroundExecutor(), dir.resolve("clusters.yaml"));
        stage.setScene(new Scene(new MainView(vm, d -> { }), 1280, 820));
        stage.show();
    }

    private static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }

    @AfterEach
    void stop() throws Exception {
        runners.close();
        server.stop(true);
    }

    @Test
    void aChangedHostKeyIsABlockingErrorWithNothingToAccept(FxRobot robot) throws Exception {
        WaitForAsyncUtils.asyncFx(() -> vm.addCluster(new Cluster("lab", List.of("vm-changed"), null, null, null, null, null)))
                .get(10, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> "lab".equals(vm.selectedClusterProperty().get().name()));
        String knownHostsBefore = Files.readString(knownHosts);
        robot.clickOn("#scan");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#changedKeyDialog").tryQuery().isPresent());
        WaitForAsyncUtils.waitForFxEvents();
        String host = "[127.0.0.1]:" + server.getPort();
        assertEquals(host, robot.lookup("#changedKeyHost").queryAs(TextField.class).getText());
        assertEquals("ecdsa-sha2-nistp256 " + expected, robot.lookup("#expectedFingerprint").queryAs(TextField.class).getText());
        assertEquals("ecdsa-sha2-nistp256 " + offered, robot.lookup("#offeredFingerprint").queryAs(TextField.class).getText());
        assertEquals(knownHosts + " line 2", robot.lookup("#knownHostsLine").queryAs(TextField.class).getText());
        assertEquals("ssh-keygen -R '" + host + "' -f '" + knownHosts + "'", robot.lookup("#removeCommand").queryAs(TextField.class).getText());
        DialogPane pane = robot.lookup("#changedKeyDialog").queryAs(DialogPane.class);
        List<String> buttons = pane.getButtonTypes().stream().map(b -> b.getText()).toList();
        assertEquals(List.of("Close"), buttons, "nothing to accept");
        assertTrue(pane.getScene().getWindow() instanceof Stage s && s.getModality() != javafx.stage.Modality.NONE, "modal");
        assertFalse(robot.lookup(n -> n instanceof Button b && b.getText() != null && b.getText().toLowerCase().contains("accept"))
                .tryQuery().isPresent());
        robot.clickOn("Close");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !vm.scanningProperty().get());
        HostRow row = vm.hosts().get(0);
        assertEquals(HostRow.Status.UNREACHABLE, row.statusProperty().get());
        assertTrue(row.statusTextProperty().get().contains("CHANGED"), row.statusTextProperty().get());
        assertEquals(knownHostsBefore, Files.readString(knownHosts), "known_hosts untouched");
    }
}
