package dev.berth.docker.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Wraps a framed body and decides the connection's fate exactly once: pooled when the body was
 * read to its end, closed when the caller gave up early (possibly from another thread, to stop a
 * follow stream that is blocked in read).
 */
final class ResponseBody extends InputStream {
    private final InputStream framed;
    private final HttpConnection conn;
    private final UnixSocketHttp pool;
    private final boolean reusable;
    private final AtomicBoolean settled = new AtomicBoolean();
    private volatile boolean closed;

    ResponseBody(InputStream framed, HttpConnection conn, UnixSocketHttp pool, boolean reusable) {
        this.framed = framed;
        this.conn = conn;
        this.pool = pool;
        this.reusable = reusable;
    }

    @Override
    public int read() throws IOException {
        ensureOpen();
        if (settled.get()) {
            return -1;
        }
        int b = framed.read();
        if (b < 0) {
            finished();
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        ensureOpen();
        if (settled.get()) {
            return -1;
        }
        int n = framed.read(b, off, len);
        if (n < 0) {
            finished();
        }
        return n;
    }

    @Override
    public int available() throws IOException {
        return settled.get() ? 0 : framed.available();
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("Response body already closed");
        }
    }

    private void finished() {
        if (settled.compareAndSet(false, true)) {
            if (reusable) {
                pool.release(conn);
            } else {
                conn.close();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        if (settled.compareAndSet(false, true)) {
            conn.close();
        }
    }
}
