package dev.berth.image.unpack;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads (and so decompresses) a stream on its own virtual thread, a bounded number of chunks
 * ahead, so inflating the next bytes overlaps writing the previous entry's files, as {@code tar -xzf}
 * overlaps its gzip process. At most {@code chunks × chunkSize} bytes are held. {@link #close()}
 * stops the reader and waits for it, so the source is no longer read once this is closed.
 */
final class ReadAheadInputStream extends InputStream {
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);
    /**
     * Source reads are at most this big: a decompressor failing mid-read (gzip at a truncation)
     * drops what it inflated in that call, so small reads keep the failure close to its entry.
     */
    private static final int MAX_READ = 64 * 1024;

    /** A chunk of data, the end of the stream ({@code data == null}), or the source's failure. */
    private record Chunk(byte[] data, int length, IOException failure) {
    }

    private final InputStream source;
    private final int chunkSize;
    private final BlockingQueue<Chunk> queue;
    private final Thread reader;
    private volatile boolean closed;
    private Chunk current;
    private int position;
    private boolean ended;

    ReadAheadInputStream(InputStream source, int chunkSize, int chunks) {
        this.source = source;
        this.chunkSize = chunkSize;
        this.queue = new ArrayBlockingQueue<>(chunks);
        this.reader = Thread.ofVirtual().name("layer-read-ahead").start(this::readAll);
    }

    private void readAll() {
        try {
            while (!closed) {
                byte[] data = new byte[chunkSize];
                int length = 0;
                try {
                    for (int n; length < chunkSize && (n = source.read(data, length, Math.min(MAX_READ, chunkSize - length))) >= 0; ) {
                        length += n;
                    }
                } catch (IOException e) {
                    if (length > 0) {
                        queue.put(new Chunk(data, length, null)); // what came before the failure, so it is located right
                    }
                    queue.put(new Chunk(null, 0, e));
                    return;
                }
                if (length == 0) {
                    queue.put(new Chunk(null, 0, null));
                    return;
                }
                queue.put(new Chunk(data, length, null));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closed: nobody reads the queue any more
        }
    }

    /** The current chunk with bytes left, or {@code null} at the end of the stream. */
    private Chunk chunk() throws IOException {
        while (!ended && (current == null || position == current.length())) {
            try {
                current = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading the layer");
            }
            position = 0;
            if (current.failure() != null) {
                ended = true;
                throw current.failure();
            }
            ended = current.data() == null;
        }
        return ended ? null : current;
    }

    @Override
    public int read() throws IOException {
        Chunk chunk = chunk();
        return chunk == null ? -1 : chunk.data()[position++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        Chunk chunk = chunk();
        if (chunk == null) {
            return -1;
        }
        int n = Math.min(len, chunk.length() - position);
        System.arraycopy(chunk.data(), position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        reader.interrupt();
        queue.clear();
        try {
            if (!reader.join(STOP_WAIT)) {
                throw new IOException("the layer reader did not stop within " + STOP_WAIT.toSeconds() + "s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            current = null;
            source.close();
        }
    }
}
