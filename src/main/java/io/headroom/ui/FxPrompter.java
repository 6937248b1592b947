package io.headroom.ui;

import io.headroom.ssh.Prompter;
import javafx.application.Platform;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * Asks the user on the FX thread while a scan thread waits: unknown host keys (accept once /
 * accept and remember / reject, with the SHA256 fingerprint), passphrases and passwords (never
 * stored: the char[] is handed to sshj and wiped by it).
 */
public final class FxPrompter implements Prompter {
    private final Supplier<Window> owner;

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

    /** A blocking error for a changed host key (shown by the main view when a scan reports one). */
    public static void showChangedKey(Window owner, String message) {
        Alert a = new Alert(Alert.AlertType.ERROR, message, ButtonType.OK);
        a.initOwner(owner);
        a.setTitle("Host key changed");
        a.setHeaderText("Headroom refused to connect: the host key has changed.");
        a.showAndWait();
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
