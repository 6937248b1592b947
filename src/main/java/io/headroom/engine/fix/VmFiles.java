package io.headroom.engine.fix;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * The file and command operations a push needs on one VM: over SFTP for SSH targets
 * ({@link SftpVmFiles}), on this machine for {@code local} ({@link LocalVmFiles}). Every command
 * passed to {@link #exec} is already quoted by the caller; file contents are bytes.
 */
public interface VmFiles extends AutoCloseable {
    /** Files larger than this (bytes) are refused: compose files and .env are small. */
    int MAX_FILE_BYTES = 4 * 1024 * 1024;

    /** The whole file; an IOException when missing or larger than {@link #MAX_FILE_BYTES}. */
    byte[] read(String path) throws IOException;

    /** Creates the file exclusively (fails if it exists) and writes all of {@code content}. */
    void writeNew(String path, byte[] content, int mode) throws IOException;

    /** Permission bits of a file (e.g. 0644). */
    int mode(String path) throws IOException;

    boolean exists(String path) throws IOException;

    /** Names (not paths) of the entries of a directory. */
    List<String> list(String dir) throws IOException;

    /** Replaces {@code to} with {@code from} atomically (rename(2)), or fails without change. */
    void atomicReplace(String from, String to) throws IOException;

    void remove(String path) throws IOException;

    /** Runs a shell command (already quoted) with a deadline; output capped. */
    Exec exec(String command, Duration timeout) throws IOException;

    /**
     * Runs {@code command} (already quoted) and keeps it running until the returned handle is
     * closed, which closes the command's standard input; waits up to {@code timeout} for its first
     * output line. A push holds the VM-side lock this way (decision 0020).
     */
    Held hold(String command, Duration timeout) throws IOException;

    /** A running command from {@link #hold}: its first output line (null when it ended silently) and its stderr so far. */
    interface Held extends AutoCloseable {
        String firstLine();

        String stderr();

        @Override
        void close() throws IOException;
    }

    /** Who the files are written as (for messages and the audit log). */
    String user();

    /** Output of a command: exit status (-1 when unknown), stdout, stderr. */
    record Exec(int status, String out, String err) {
    }

    @Override
    void close() throws IOException;
}
