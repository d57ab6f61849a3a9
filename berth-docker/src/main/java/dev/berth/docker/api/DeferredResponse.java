package dev.berth.docker.api;

import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A request already written whose response head has not been read yet. Exists because Podman
 * 4.3 sends the head of {@code /events} only with the first event: reading it eagerly would block
 * a subscriber until something happens. {@link #close()} may be called from another thread to
 * abandon a {@link #get()} blocked on the head.
 */
public final class DeferredResponse implements AutoCloseable {
    private final UnixSocketHttp http;
    private final HttpConnection conn;
    private final HttpRequest req;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile HttpResponse response;
    private volatile boolean closed;

    DeferredResponse(UnixSocketHttp http, HttpConnection conn, HttpRequest req) {
        this.http = http;
        this.conn = conn;
        this.req = req;
    }

    /** Blocks until the head arrives (once); later calls return the same response. */
    public HttpResponse get() {
        lock.lock();
        try {
            if (response == null) {
                if (closed) {
                    throw new IllegalStateException("Response was closed before it arrived");
                }
                try {
                    response = http.respond(conn, req, conn.readHead(), true);
                } catch (IOException e) {
                    conn.close();
                    throw new DockerIOException(http.toString(), req.method() + " " + req.target() + " failed", e);
                }
            }
            return response;
        } finally {
            lock.unlock();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        HttpResponse r = response;
        if (r != null) {
            r.close(); // a fully read body already went back to the pool; this must not close it there
        } else {
            // Not under the lock: get() may be blocked reading the head, and closing the connection frees it.
            conn.close();
        }
    }
}
