package dev.berth.server.http;

import com.fasterxml.jackson.databind.ObjectWriter;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * Streams items as newline-delimited JSON, one flushed line each. While the source is quiet an
 * empty line goes out every {@link #HEARTBEAT}; a write that fails means the client left, and
 * the source stream is closed so whatever blocks inside it (a followed log, the event bus) ends.
 */
final class NdjsonStream {
    static final String CONTENT_TYPE = "application/x-ndjson";
    static final Duration HEARTBEAT = Duration.ofSeconds(10);
    private static final byte[] NEWLINE = {'\n'};

    private final OutputStream out;
    private final ReentrantLock lock = new ReentrantLock();
    private final ObjectWriter writer = ApiJson.mapper().writer();
    private volatile boolean broken;

    private NdjsonStream(OutputStream out) {
        this.out = out;
    }

    static <T> void send(Context ctx, Stream<T> items) {
        ctx.status(200).contentType(CONTENT_TYPE);
        try (items) {
            var stream = new NdjsonStream(ctx.res().getOutputStream());
            stream.pump(items);
        } catch (IOException e) {
            items.close();
        }
    }

    private <T> void pump(Stream<T> items) throws IOException {
        out.flush();
        Thread heartbeat = Thread.ofVirtual().start(() -> beat(items));
        try {
            var it = items.iterator();
            while (!broken && it.hasNext()) {
                write(writer.writeValueAsBytes(it.next()));
            }
        } finally {
            heartbeat.interrupt();
        }
    }

    private void beat(Stream<?> items) {
        try {
            while (!broken) {
                Thread.sleep(HEARTBEAT);
                write(null);
            }
        } catch (InterruptedException e) {
            // the stream ended
        } catch (IOException e) {
            items.close();
        }
    }

    private void write(byte[] json) throws IOException {
        lock.lock();
        try {
            if (json != null) {
                out.write(json);
            }
            out.write(NEWLINE);
            out.flush();
        } catch (IOException e) {
            broken = true;
            throw e;
        } finally {
            lock.unlock();
        }
    }
}
