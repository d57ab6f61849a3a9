package dev.berth.api.model;

import java.io.OutputStream;

/**
 * A running exec. Read {@link #next()} until it returns an {@link ExecEvent.Exited}; write to
 * {@link #stdin()} when the request asked for stdin, and close it to signal end of input.
 */
public interface ExecSession extends AutoCloseable {
    OutputStream stdin();

    /** Blocks for the next event; after {@code Exited}, returns null. */
    ExecEvent next();

    @Override
    void close();
}
