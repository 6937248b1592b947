package io.headroom.cli;

import io.headroom.analysis.dask.DaskByteSize;
import io.headroom.ssh.SshProbeRunner;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/** The value types of the CLI's options, read with the same rules as the rest of Headroom. */
final class Converters {
    private Converters() {
    }

    /** A size in bytes, read as Dask reads one ({@code 512MiB}, {@code 1GiB}, {@code 2e9}, plain bytes); never negative. */
    static final class Size implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            DaskByteSize.Parsed p = DaskByteSize.parse(value);
            if (!p.ok() || p.bytes() == null || p.bytes() < 0) {
                throw new TypeConversionException("cannot read '" + value + "' as a size (" + p.error() + "); e.g. 512MiB, 1GiB or bytes");
            }
            return p.bytes();
        }
    }

    /** A container memory limit as Docker and compose read one ({@code 2g} is 2 GiB, {@code 512m}, bytes); 0 for none. */
    static final class DockerSize implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String v = value.strip();
            Long b = v.equalsIgnoreCase("none") ? Long.valueOf(0) : io.headroom.analysis.DockerByteSize.parse(v);
            if (b == null && v.matches("(?i).*\\d\\s*[kmgtp]ib")) {
                b = new Size().convert(v); // 2GiB: binary in both readings
            }
            if (b == null || b < 0) {
                throw new TypeConversionException("cannot read '" + value + "' as a memory limit (e.g. 2g, 1536m, bytes, or none)");
            }
            return b;
        }
    }

    /** A whole number above zero. */
    static final class PositiveInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int n;
            try {
                n = Integer.parseInt(value.strip());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a whole number");
            }
            if (n <= 0) {
                throw new TypeConversionException("must be positive, not " + n);
            }
            return n;
        }
    }

    /** Whole seconds above zero, as a duration. */
    static final class Seconds implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Duration.ofSeconds(new PositiveInt().convert(value));
        }
    }

    /** A file that exists and can be read. */
    /** A look-back window: {@code 24h}, {@code 90m}, {@code 7d}, {@code 3600s} (issue 20's {@code deaths --since}). */
    static final class Since implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.strip().toLowerCase(Locale.ROOT);
            if (!v.matches("[0-9]{1,6}[smhd]")) {
                throw new TypeConversionException("'" + value + "' is not a duration like 24h, 90m, 7d or 3600s");
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
    }

    static final class ReadableFile implements ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            Path p = Path.of(value);
            if (!Files.isReadable(p)) {
                throw new TypeConversionException("cannot read " + p);
            }
            return p;
        }
    }

    /** {@code auto}, {@code never} or {@code always}, in any case. */
    static final class Sudo implements ITypeConverter<SshProbeRunner.SudoMode> {
        @Override
        public SshProbeRunner.SudoMode convert(String value) {
            try {
                return SshProbeRunner.SudoMode.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not auto, never or always");
            }
        }
    }

    /** The completion words of {@code --sudo}. */
    static final class SudoWords implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("auto", "never", "always").iterator();
        }
    }

    /** The completion words of {@code fix --mode}. */
    static final class ModeWords implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("env", "literal").iterator();
        }
    }
}
