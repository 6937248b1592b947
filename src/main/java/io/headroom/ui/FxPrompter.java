package io.headroom.ui;

import io.headroom.ssh.HostKeyMismatch;
import io.headroom.ssh.Prompter;
import javafx.application.Platform;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * Asks the user on the FX thread while a scan thread waits: unknown host keys (accept once /
 * accept and remember / reject, with the SHA256 fingerprint), passphrases and passwords (never
 * stored: the char[] is handed to sshj and wiped by it). A changed host key is a modal error with
 * nothing to accept.
 */
public final class FxPrompter implements Prompter {
    private final Supplier<Window> owner;
    private final java.util.Set<String> shownChanges = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public FxPrompter(Supplier<Window> owner) {
        this.owner = owner;
    }

    /** The host-key question as a dialog (also used by tests). */
    public static Dialog<HostKeyDecision> hostKeyDialog(String host, String keyType, String fingerprint) {
        Dialog<HostKeyDecision> d = new Dialog<>();
        d.setTitle("Unknown host key");
        d.setHeaderText("The authenticity of " + host + " can't be established.");
        Label fp = new Label(keyType + " key fingerprint:\n" + fingerprint);
        fp.setId("fingerprint");
        fp.setStyle("-fx-font-family: monospace; -fx-font-size: 13px;");
        Label advice = new Label("Compare it with the fingerprint the VM's owner gives you (ssh-keygen -lf on the VM)."
                + " Accept only if they match.");
        advice.setWrapText(true);
        d.getDialogPane().setContent(new VBox(10, fp, advice));
        ButtonType once = new ButtonType("Accept once", ButtonBar.ButtonData.OTHER);
        ButtonType save = new ButtonType("Accept and remember", ButtonBar.ButtonData.OK_DONE);
        ButtonType reject = new ButtonType("Reject", ButtonBar.ButtonData.CANCEL_CLOSE);
        d.getDialogPane().getButtonTypes().setAll(reject, once, save);
        d.setResultConverter(b -> b == save ? HostKeyDecision.ACCEPT_AND_SAVE : b == once ? HostKeyDecision.ACCEPT_ONCE
                : HostKeyDecision.REJECT);
        d.getDialogPane().setPrefWidth(560);
        return d;
    }

    @Override
    public HostKeyDecision unknownHostKey(String host, String keyType, String fingerprint) {
        return onFx(() -> {
            Dialog<HostKeyDecision> d = hostKeyDialog(host, keyType, fingerprint);
            d.initOwner(owner.get());
            return d.showAndWait().orElse(HostKeyDecision.REJECT);
        }, HostKeyDecision.REJECT);
    }

    @Override
    public char[] passphrase(String keyFile) {
        return secret("Passphrase", "Enter the passphrase for key " + keyFile, true);
    }

    @Override
    public char[] password(String userAtHost) {
        return secret("Password", "Password for " + userAtHost, true);
    }

    @Override
    public char[] keyboardInteractive(String userAtHost, String prompt, boolean echo) {
        return secret("Authentication", userAtHost + ": " + prompt, !echo);
    }

    private char[] secret(String title, String text, boolean hidden) {
        return onFx(() -> {
            Dialog<char[]> d = new Dialog<>();
            d.initOwner(owner.get());
            d.setTitle(title);
            d.setHeaderText(text);
            TextField field = hidden ? new PasswordField() : new TextField();
            d.getDialogPane().setContent(new VBox(8, field, new Label("Headroom never stores it.")));
            d.getDialogPane().getButtonTypes().setAll(ButtonType.CANCEL, ButtonType.OK);
            d.setResultConverter(b -> b == ButtonType.OK ? field.getText().toCharArray() : null);
            Platform.runLater(field::requestFocus);
            char[] result = d.showAndWait().orElse(null);
            field.clear();
            return result;
        }, null);
    }

    /**
     * A changed host key during a scan: a modal error on the window, one per host and offered key
     * in this session (live mode would otherwise raise it every refresh). The scan thread does not
     * wait for it: the connection is refused either way.
     */
    @Override
    public void hostKeyChanged(HostKeyMismatch m) {
        if (!shownChanges.add(m.host() + " " + m.offeredFingerprint())) {
            return;
        }
        Platform.runLater(() -> {
            Alert a = changedKeyDialog(m);
            a.initOwner(owner.get());
            a.showAndWait();
        });
    }

    /** The changed-key error: host, both fingerprints, the known_hosts line, what to do. No way to accept. */
    public static Alert changedKeyDialog(HostKeyMismatch m) {
        Alert a = new Alert(Alert.AlertType.ERROR);
        a.getButtonTypes().setAll(ButtonType.CLOSE);
        a.setTitle("Host key changed");
        a.setHeaderText("Headroom refused to connect to " + m.host() + ": its host key has CHANGED.");
        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(6);
        row(grid, 0, "Host", m.host(), "changedKeyHost");
        row(grid, 1, "Expected (known_hosts)", m.knownType() + " " + m.knownFingerprint(), "expectedFingerprint");
        row(grid, 2, "Offered now", m.offeredType() + " " + m.offeredFingerprint(), "offeredFingerprint");
        row(grid, 3, "known_hosts entry", m.knownHostsFile() + " line " + m.line(), "knownHostsLine");
        Label advice = new Label("Someone may be intercepting the connection, or the VM was reinstalled or its keys"
                + " regenerated. Ask the VM's owner for the new fingerprint through another channel (on the VM:"
                + " ssh-keygen -lf /etc/ssh/ssh_host_" + keyFileType(m.offeredType()) + "_key.pub). Only if it matches"
                + " the offered one, remove the old entry and scan again; Headroom will then ask about the new key:");
        advice.setWrapText(true);
        TextField command = new TextField(m.removeCommand());
        command.setId("removeCommand");
        command.setEditable(false);
        command.setStyle("-fx-font-family: monospace;");
        VBox box = new VBox(12, grid, advice, command);
        box.setPrefWidth(840);
        a.getDialogPane().setContent(box);
        a.getDialogPane().setStyle("-fx-max-width: 960px;"); // AtlantaFX caps dialogs at 600 px: room for the fingerprints
        a.getDialogPane().setId("changedKeyDialog");
        a.setResizable(true);
        return a;
    }

    private static void row(GridPane grid, int row, String name, String value, String id) {
        Label n = new Label(name);
        n.setStyle("-fx-font-weight: bold;");
        n.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        // a read-only field, so the fingerprint can be selected and copied
        TextField v = new TextField(value);
        v.setEditable(false);
        v.setId(id);
        v.setStyle("-fx-font-family: monospace;");
        v.setPrefColumnCount(64);
        v.setMaxWidth(Double.MAX_VALUE);
        GridPane.setHgrow(v, javafx.scene.layout.Priority.ALWAYS);
        grid.add(n, 0, row);
        grid.add(v, 1, row);
    }

    private static String keyFileType(String keyType) {
        return keyType.contains("ed25519") ? "ed25519" : keyType.startsWith("ecdsa") ? "ecdsa" : keyType.contains("rsa") ? "rsa" : "*";
    }

    private static <T> T onFx(Supplier<T> ask, T fallback) {
        if (Platform.isFxApplicationThread()) {
            return ask.get();
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(ask.get());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fallback;
        } catch (ExecutionException e) {
            return fallback;
        }
    }
}
