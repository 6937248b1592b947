package io.headroom.ui;

import javafx.application.Platform;

import java.util.concurrent.Callable;
import java.util.function.Consumer;

/** Work on virtual threads, results on the FX application thread. */
public final class FxBackgroundExecutor implements BackgroundExecutor {
    @Override
    public <T> Task submit(Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        Thread t = Thread.ofVirtual().name("headroom-bg").start(() -> {
            try {
                T result = work.call();
                Platform.runLater(() -> onSuccess.accept(result));
            } catch (InterruptedException e) {
                Platform.runLater(() -> onFailure.accept(e));
            } catch (Exception | Error e) {
                Platform.runLater(() -> onFailure.accept(e));
            }
        });
        return t::interrupt;
    }

    @Override
    public void onUiThread(Runnable r) {
        Platform.runLater(r);
    }
}
