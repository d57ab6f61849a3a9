package dev.berth.image.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body as an {@link InputStream} whose reads fail when no byte arrives for the stall
 * timeout: the JDK client bounds the time to the response headers but not gaps in the body, and
 * a registry (or a proxy) that stops sending without closing would otherwise hang a pull. The
 * stream is available as soon as the headers are, like {@code BodyHandlers.ofInputStream()}.
 */
final class StallTimeoutBody implements HttpResponse.BodySubscriber<InputStream> {
    private static final Object END = new Object();

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Duration stallTimeout;
    private final Stream stream = new Stream();
    private volatile Flow.Subscription subscription;

    private StallTimeoutBody(Duration stallTimeout) {
        this.stallTimeout = stallTimeout;
    }

    static HttpResponse.BodyHandler<InputStream> handler(Duration stallTimeout) {
        return info -> new StallTimeoutBody(stallTimeout);
    }

    @Override
    public CompletionStage<InputStream> getBody() {
        return CompletableFuture.completedStage(stream);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        queue.add(item);
    }

    @Override
    public void onError(Throwable throwable) {
        queue.add(throwable);
    }

    @Override
    public void onComplete() {
        queue.add(END);
    }

    private final class Stream extends InputStream {
        private Iterator<ByteBuffer> buffers = List.<ByteBuffer>of().iterator();
        private ByteBuffer current;
        private boolean finished;
        private boolean closed;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (closed) {
                throw new IOException("the response body is closed");
            }
            if (len == 0) {
                return 0;
            }
            while (current == null || !current.hasRemaining()) {
                if (buffers.hasNext()) {
                    current = buffers.next();
                    continue;
                }
                if (finished || !nextItem()) {
                    return -1;
                }
            }
            int n = Math.min(len, current.remaining());
            current.get(b, off, n);
            return n;
        }

        @SuppressWarnings("unchecked")
        private boolean nextItem() throws IOException {
            Object item;
            try {
                item = queue.poll(stallTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new InterruptedIOException("interrupted while reading the response body");
            }
            if (item == null) {
                close();
                throw new IOException("no data received for " + stallTimeout.toSeconds() + " s; the transfer stalled");
            }
            if (item == END) {
                finished = true;
                return false;
            }
            if (item instanceof Throwable t) {
                finished = true;
                throw t instanceof IOException io ? io : new IOException(t);
            }
            buffers = ((List<ByteBuffer>) item).iterator();
            subscription.request(1);
            return true;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                Flow.Subscription s = subscription;
                if (s != null && !finished) {
                    s.cancel();
                }
            }
        }
    }
}
