package io.headroom.model;

/**
 * The marker the probe writes on the VM in place of a value that may be a secret (compose files,
 * command lines, container arguments, values of {@code DASK_*} variables Headroom does not read);
 * docs/security.md lists what is masked, docs/decisions/0019-secrets-stay-on-the-vm.md why.
 */
public final class Masked {
    /** Replaces a masked value; a valid YAML plain scalar and JSON string content. */
    public static final String MARKER = "<masked-by-headroom>";

    private Masked() {
    }

    /** True when {@code text} contains a masked value. */
    public static boolean in(String text) {
        return text != null && text.contains(MARKER);
    }
}
