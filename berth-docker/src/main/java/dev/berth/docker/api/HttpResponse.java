package dev.berth.docker.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A response whose body is read from the socket on demand. Reading the body to its end hands the
 * connection back to the pool; closing it earlier discards the connection, because the unread rest
 * of the body would corrupt the next exchange.
 *
 * @param headers case-insensitive
 */
public record HttpResponse(int status, String reason, Map<String, String> headers, InputStream body)
        implements AutoCloseable {

    public String header(String name) {
        return headers.get(name);
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    /** Reads the whole body (returning the connection to the pool) and closes it. */
    public byte[] bytes() {
        try (InputStream in = body) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String text() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
