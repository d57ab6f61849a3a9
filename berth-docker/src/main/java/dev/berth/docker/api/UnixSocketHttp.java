package dev.berth.docker.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * HTTP/1.1 client for one unix socket (or, via {@link #tcp}, one TCP address) with a keep-alive pool. Requests block the calling thread;
 * that is cheap on virtual threads, and the pool lock is a {@link ReentrantLock} so it never pins
 * a carrier. Concurrent requests each get their own connection; at most {@code maxIdle} are kept.
 */
public final class UnixSocketHttp implements AutoCloseable {
    public static final int DEFAULT_MAX_IDLE = 8;

    private final Path socket;
    private final SocketAddress address;
    private final int maxIdle;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<HttpConnection> idle = new ArrayDeque<>();
    private final LongAdder opened = new LongAdder();
    private boolean closed;

    public UnixSocketHttp(Path socket) {
        this(socket, DEFAULT_MAX_IDLE);
    }

    public UnixSocketHttp(Path socket, int maxIdle) {
        this(socket, UnixDomainSocketAddress.of(socket), maxIdle);
    }

    private UnixSocketHttp(Path socket, SocketAddress address, int maxIdle) {
        this.socket = socket;
        this.address = address;
        this.maxIdle = maxIdle;
    }

    /** The same client over TCP (e.g. the Berth daemon's token-guarded listener); {@link #socket()} is null. */
    public static UnixSocketHttp tcp(InetSocketAddress address, int maxIdle) {
        return new UnixSocketHttp(null, address, maxIdle);
    }

    public Path socket() {
        return socket;
    }

    /** Connections opened so far; lets tests and diagnostics verify keep-alive works. */
    public long connectionsOpened() {
        return opened.sum();
    }

    public int idleConnections() {
        lock.lock();
        try {
            return idle.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends the request and returns once the response head arrived; the body is streamed. A pooled
     * connection the server had silently closed is retried once on a fresh one if the request is
     * idempotent and its body replayable.
     */
    public HttpResponse execute(HttpRequest req) {
        HttpConnection conn = acquire();
        try {
            return exchange(conn, req);
        } catch (IOException e) {
            conn.close();
            if (conn.reused() && req.idempotent() && req.replayable()) {
                HttpConnection fresh = openNew();
                try {
                    return exchange(fresh, req);
                } catch (IOException e2) {
                    fresh.close();
                    e2.addSuppressed(e);
                    throw failure(req, e2);
                }
            }
            throw failure(req, e);
        } catch (RuntimeException e) {
            conn.close();
            throw e;
        }
    }

    private HttpResponse exchange(HttpConnection conn, HttpRequest req) throws IOException {
        try {
            conn.writeRequest(req);
        } catch (IOException writeFailure) {
            if (req.body() == null) {
                throw writeFailure;
            }
            // The server may have rejected a body early (404, 413) and stopped reading it;
            // its answer is more useful than our broken pipe.
            try {
                HttpConnection.Head early = conn.readHead();
                return respond(conn, req, early, false);
            } catch (IOException noAnswer) {
                writeFailure.addSuppressed(noAnswer);
                throw writeFailure;
            }
        }
        return respond(conn, req, conn.readHead(), true);
    }

    /**
     * Writes the request now and leaves reading the response to {@link DeferredResponse#get()},
     * for streams whose head only arrives with the first event. Not retried.
     */
    public DeferredResponse send(HttpRequest req) {
        HttpConnection conn = acquire();
        try {
            conn.writeRequest(req);
            return new DeferredResponse(this, conn, req);
        } catch (IOException e) {
            conn.close();
            throw failure(req, e);
        } catch (RuntimeException e) {
            conn.close();
            throw e;
        }
    }

    HttpResponse respond(HttpConnection conn, HttpRequest req, HttpConnection.Head head, boolean requestComplete) {
        InputStream framed = conn.bodyStream(head, req.method());
        boolean reusable = requestComplete && HttpConnection.reusableAfter(head);
        InputStream body;
        if (framed == null) {
            if (reusable) {
                release(conn);
            } else {
                conn.close();
            }
            body = InputStream.nullInputStream();
        } else {
            body = new ResponseBody(framed, conn, this, reusable);
        }
        return new HttpResponse(head.status(), head.reason(), head.headers(), body);
    }

    /**
     * Sends the request with {@code Connection: Upgrade} / {@code Upgrade: tcp} and hands over the
     * raw connection when the daemon answers 101 or 200. Any other status is read as an API error.
     */
    public HijackedConnection upgrade(HttpRequest req) {
        return upgrade(req, "tcp");
    }

    /** As {@link #upgrade(HttpRequest)} with another protocol in the {@code Upgrade} header (e.g. websocket). */
    public HijackedConnection upgrade(HttpRequest req, String protocol) {
        HttpRequest upgraded = req.withHeader("Connection", "Upgrade").withHeader("Upgrade", protocol);
        HttpConnection conn = acquire();
        HttpConnection.Head head;
        try {
            conn.writeRequest(upgraded);
            head = conn.readHead();
        } catch (IOException e) {
            conn.close();
            throw failure(req, e);
        } catch (RuntimeException e) {
            conn.close();
            throw e;
        }
        if (head.status() == 101 || head.status() == 200) {
            return new HijackedConnection(conn, head.status(), head.headers());
        }
        InputStream framed = conn.bodyStream(head, req.method());
        byte[] errorBody;
        try (InputStream in = framed == null ? InputStream.nullInputStream() : framed) {
            errorBody = in.readAllBytes();
        } catch (IOException e) {
            throw failure(req, e);
        } finally {
            conn.close();
        }
        throw ApiErrors.from(head.status(), head.reason(), errorBody);
    }

    private DockerIOException failure(HttpRequest req, IOException e) {
        return new DockerIOException(endpoint(), req.method() + " " + req.target() + " failed", e);
    }

    private HttpConnection acquire() {
        while (true) {
            HttpConnection c;
            lock.lock();
            try {
                if (closed) {
                    throw new IllegalStateException("HTTP client for " + endpoint() + " is closed");
                }
                c = idle.pollLast(); // most recently used: least likely to have been timed out
            } finally {
                lock.unlock();
            }
            if (c == null) {
                return openNew();
            }
            if (c.idleAndOpen()) {
                return c;
            }
            c.close();
        }
    }

    private HttpConnection openNew() {
        try {
            HttpConnection c = HttpConnection.open(address);
            opened.increment();
            return c;
        } catch (IOException e) {
            throw DockerIOException.connecting(endpoint(), socket == null ? "Cannot connect" : "Cannot connect to the engine socket", e);
        }
    }

    void release(HttpConnection conn) {
        if (!conn.isOpen()) {
            return;
        }
        conn.markReused();
        lock.lock();
        try {
            if (!closed && idle.size() < maxIdle) {
                idle.addLast(conn);
                return;
            }
        } finally {
            lock.unlock();
        }
        conn.close();
    }

    /** Closes idle connections; responses and hijacked streams still in use stay usable until closed. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            idle.forEach(HttpConnection::close);
            idle.clear();
        } finally {
            lock.unlock();
        }
    }

    public String endpoint() {
        return socket != null ? socket.toString() : address.toString();
    }

    @Override
    public String toString() {
        return endpoint();
    }
}
