package io.headroom.compose;

/** Thrown by {@link ComposeEditor#editOrThrow(EditRequest)}: the edit would not be safe. */
public final class ComposeEditRefusedException extends RuntimeException {
    private final transient EditResult.Refused refusal;

    public ComposeEditRefusedException(EditResult.Refused refusal) {
        super(refusal.toString());
        this.refusal = refusal;
    }

    public EditResult.Refused refusal() {
        return refusal;
    }
}
