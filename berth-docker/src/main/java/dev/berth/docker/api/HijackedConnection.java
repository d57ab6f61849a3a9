package dev.berth.docker.api;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * A connection taken over after an HTTP upgrade (exec start / attach): raw bytes both ways.
 * Reading and writing may happen on different threads. Never returns to the pool.
 */
public final class HijackedConnection implements AutoCloseable {
    private final HttpConnection conn;
    private final int status;
    private final Map<String, String> headers;
    private final OutputStream output;
    private final InputStream input;

    HijackedConnection(HttpConnection conn, int status, Map<String, String> headers) {
        this.conn = conn;
        this.status = status;
        this.headers = headers;
        // Closing the input (e.g. via FrameReader.close) should end the session, not be a no-op.
        this.input = new FilterInputStream(conn.input()) {
            @Override
            public void close() {
                conn.close();
            }
        };
        ChannelOutput out = conn.output();
        // Interactive stdin: every write must reach the process now, not when a buffer fills.
        this.output = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
                out.flush();
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                out.flush();
            }

            @Override
            public void close() throws IOException {
                shutdownOutput();
            }
        };
    }

    /** 101 when the daemon upgraded, 200 when it just kept streaming on the same connection. */
    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** The raw stream; starts with any bytes that arrived together with the response head. */
    public InputStream input() {
        return input;
    }

    /** Writes go out immediately; closing it half-closes the connection (EOF on the process's stdin). */
    public OutputStream output() {
        return output;
    }

    /** Half-close: the daemon sees EOF on stdin while we keep reading output. */
    public void shutdownOutput() throws IOException {
        conn.shutdownOutput();
    }

    /** Closes both directions; a read blocked on another thread then returns EOF. */
    @Override
    public void close() {
        conn.close();
    }
}
