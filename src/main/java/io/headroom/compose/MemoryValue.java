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
     *
     * @param dotEnvBytes the value that will be written to {@code .env} (bytes), so that the edit is checked as
     *                    in literal mode ({@code memswap_limit} below it is refused); 0 when not known, and then
     *                    a check that needs it refuses
     */
    record EnvReference(String variable, String fallback, long dotEnvBytes) implements MemoryValue {
        public EnvReference(String variable, String fallback) {
            this(variable, fallback, 0);
        }

        public EnvReference {
            if (dotEnvBytes < 0) {
                throw new IllegalArgumentException("bytes must not be negative: " + dotEnvBytes);
            }
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

    /** {@code ${AVAILABLE_MEMORY_FOR_DASK:-0}}, the seed's pattern (the value for {@code .env} not known: see {@link #env(long)}). */
    static MemoryValue env() {
        return new EnvReference(AVAILABLE_MEMORY_FOR_DASK, "0");
    }

    /** {@code ${AVAILABLE_MEMORY_FOR_DASK:-0}} with {@code bytes} going to {@code .env}: checked as literal mode checks. */
    static MemoryValue env(long bytes) {
        return new EnvReference(AVAILABLE_MEMORY_FOR_DASK, "0", bytes);
    }

    /** The bytes the limit will be (in env mode: the value written to {@code .env}), or 0 when not known. */
    default long bytes() {
        return this instanceof Literal l ? l.bytes() : ((EnvReference) this).dotEnvBytes();
    }

    static MemoryValue bytes(long bytes) {
        return new Literal(bytes);
    }
}
