package dev.berth.docker.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A running exec (or container attach) with its hijacked connection: read output through
 * {@link #frames()}, write to {@link #stdin()}, and {@link #closeStdin()} to send EOF.
 */
public final class ExecConnection implements AutoCloseable {
    private final HijackedConnection connection;
    private final FrameReader frames;
    private final String id;

    ExecConnection(String id, HijackedConnection connection, boolean tty) {
        this.id = id;
        this.connection = connection;
        this.frames = FrameReader.of(connection.input(), tty);
    }

    /** The exec id (or container id for an attach). */
    public String id() {
        return id;
    }

    public FrameReader frames() {
        return frames;
    }

    public OutputStream stdin() {
        return connection.output();
    }

    /** Half-closes the connection so the process sees EOF on stdin; output keeps flowing. */
    public void closeStdin() throws IOException {
        connection.shutdownOutput();
    }

    /** The unparsed stream, for callers that want to copy raw TTY bytes. */
    public InputStream rawOutput() {
        return connection.input();
    }

    @Override
    public void close() {
        connection.close();
    }
}
