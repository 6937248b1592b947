package io.headroom.compose;

/** What to write as the memory limit. */
public sealed interface MemoryValue {
    /** The variable the seed's pattern uses. */
    String AVAILABLE_MEMORY_FOR_DASK = "AVAILABLE_MEMORY_FOR_DASK";

    /** The YAML scalar's text (unquoted), e.g. {@code 12884901888} or {@code ${AVAILABLE_MEMORY_FOR_DASK:-0}}. */
    String text();

    /**
     * <b>env</b> mode: {@code ${VARIABLE:-fallback}}, interpolated by compose from the {@code .env}
     * of the project directory (see {@link DotEnvEditor}). Note that a fallback of {@code 0} means
     * "no limit" to docker when the variable is missing.
     */
    record EnvReference(String variable, String fallback) implements MemoryValue {
        public EnvReference {
            if (!variable.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("not a variable name: " + variable);
            }
            if (!fallback.matches("[0-9]*")) {
                throw new IllegalArgumentException("fallback must be plain bytes: " + fallback);
            }
        }

        @Override
        public String text() {
            return "${" + variable + ":-" + fallback + "}";
        }
    }

    /** <b>literal</b> mode: plain bytes written into the file (docker-compose reads an integer as bytes). */
    record Literal(long bytes) implements MemoryValue {
        public Literal {
            if (bytes <= 0) {
                throw new IllegalArgumentException("memory limit must be positive bytes (0 means unlimited): " + bytes);
            }
        }

        @Override
        public String text() {
            return Long.toString(bytes);
        }
    }

    /** {@code ${AVAILABLE_MEMORY_FOR_DASK:-0}}, the seed's pattern. */
    static MemoryValue env() {
        return new EnvReference(AVAILABLE_MEMORY_FOR_DASK, "0");
    }

    static MemoryValue bytes(long bytes) {
        return new Literal(bytes);
    }
}
