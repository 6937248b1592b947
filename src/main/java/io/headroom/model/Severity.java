package io.headroom.model;

/** How bad a finding is. Ordered from least to most severe. */
public enum Severity {
    INFO, WARNING, CRITICAL;

    /** The lower-case name used in JSON and the CLI. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
