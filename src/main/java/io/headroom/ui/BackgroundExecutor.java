package io.headroom.ui;

import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * Runs work off the UI thread and delivers its result on the UI thread. The FX implementation uses
 * virtual threads and {@code Platform.runLater}; tests use {@link #synchronous()}.
 */
public interface BackgroundExecutor {
    /** A handle to cancel work in flight. */
    interface Task {
        void cancel();
    }

    <T> Task submit(Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure);

    /** Posts an update from a worker thread to the UI thread. */
    void onUiThread(Runnable r);

    /** Runs everything on the calling thread: for ViewModel tests. */
    static BackgroundExecutor synchronous() {
        return new BackgroundExecutor() {
            @Override
            public <T> Task submit(Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
                try {
                    onSuccess.accept(work.call());
                } catch (Exception e) {
                    onFailure.accept(e);
                }
                return () -> { };
            }

            @Override
            public void onUiThread(Runnable r) {
                r.run();
            }
        };
    }
}
