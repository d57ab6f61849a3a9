package dev.berth.server.client;

import com.fasterxml.jackson.databind.JavaType;
import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.docker.api.DockerIOException;
import dev.berth.docker.api.HijackedConnection;
import dev.berth.docker.api.HttpRequest;
import dev.berth.docker.api.HttpResponse;
import dev.berth.docker.api.UnixSocketHttp;
import dev.berth.server.http.ApiError;
import dev.berth.server.http.ApiJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * HTTP to one daemon: JSON requests and responses, NDJSON streams, WebSocket upgrades, the bearer
 * token on TCP, and the daemon's JSON errors turned back into the {@link BerthException}s the
 * in-process engine would have thrown.
 */
final class DaemonHttp implements AutoCloseable {
    private static final int MAX_IDLE = 16;

    private final DaemonAddress address;
    private final UnixSocketHttp http;
    private final String authorization;

    DaemonHttp(DaemonAddress address, String token) {
        if (address.isTcp() && (token == null || token.isBlank())) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "a tcp:// daemon needs a token (BERTH_TOKEN)", "token", null);
        }
        this.address = address;
        this.http = address.isTcp()
                ? UnixSocketHttp.tcp(new InetSocketAddress(address.tcp().getHostString(), address.tcp().getPort()), MAX_IDLE)
                : new UnixSocketHttp(address.socket(), MAX_IDLE);
        this.authorization = token == null ? null : "Bearer " + token;
    }

    DaemonAddress address() {
        return address;
    }

    HttpRequest request(String method, String target) {
        HttpRequest req = HttpRequest.of(method, target);
        return authorization == null ? req : req.withHeader("Authorization", authorization);
    }

    HttpRequest json(String method, String target, Object body) {
        try {
            return request(method, target).withJson(ApiJson.mapper().writeValueAsBytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends and returns the successful response (body still to read); errors thrown. */
    HttpResponse exchange(HttpRequest req) {
        HttpResponse response;
        try {
            response = http.execute(req);
        } catch (DockerIOException e) {
            throw failure(e);
        }
        if (!response.isSuccess()) {
            throw error(response.status(), response.bytes());
        }
        return response;
    }

    <T> T call(HttpRequest req, Class<T> type) {
        return read(exchange(req).bytes(), ApiJson.mapper().constructType(type));
    }

    <T> T call(HttpRequest req, JavaType type) {
        return read(exchange(req).bytes(), type);
    }

    /** For 204 answers, and for DELETEs where 404 means "was not there". */
    boolean callNoContent(HttpRequest req, boolean notFoundIsFalse) {
        HttpResponse response;
        try {
            response = http.execute(req);
        } catch (DockerIOException e) {
            throw failure(e);
        }
        byte[] body = response.bytes();
        if (response.isSuccess()) {
            return true;
        }
        BerthException error = error(response.status(), body);
        if (notFoundIsFalse && response.status() == 404
                && (error.code() == ErrorCode.NOT_FOUND || error.code() == ErrorCode.IMAGE_NOT_FOUND)) {
            return false;
        }
        throw error;
    }

    /** Newline-delimited JSON, read lazily; blank heartbeat lines skipped; closing the stream closes the response. */
    <T> Stream<T> stream(HttpRequest req, Class<T> type) {
        HttpResponse response = exchange(req);
        var reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        var reading = ApiJson.mapper().readerFor(type);
        var lines = new Spliterators.AbstractSpliterator<T>(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL) {
            @Override
            public boolean tryAdvance(Consumer<? super T> action) {
                try {
                    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                        if (!line.isBlank()) {
                            action.accept(reading.readValue(line));
                            return true;
                        }
                    }
                    return false;
                } catch (IOException e) {
                    throw new BerthException(ErrorCode.BACKEND_UNAVAILABLE, "the daemon's stream broke off: " + e.getMessage(), e);
                }
            }
        };
        return StreamSupport.stream(lines, false).onClose(response::close);
    }

    HijackedConnection upgradeToWebSocket(HttpRequest req, String key) {
        HttpRequest upgrade = req.withHeader("Sec-WebSocket-Version", "13").withHeader("Sec-WebSocket-Key", key);
        try {
            return http.upgrade(upgrade, "websocket");
        } catch (DockerIOException e) {
            throw failure(e);
        } catch (dev.berth.docker.api.DockerApiException e) {
            throw error(e.status(), e.getMessage().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static <T> T read(byte[] body, JavaType type) {
        try {
            return ApiJson.mapper().readValue(body, type);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "unexpected answer from the daemon: " + e.getMessage(), e);
        }
    }

    private BerthException error(int status, byte[] body) {
        try {
            ApiError error = ApiJson.mapper().readValue(body, ApiError.class);
            if (error.code() != null) {
                if (status == 401) {
                    return new BerthException(ErrorCode.UNAUTHORIZED, "the daemon at " + address + " refused the token: " + error.message(), "token", null);
                }
                return error.toException();
            }
        } catch (IOException e) {
            // not one of ours: reported with the status below
        }
        return new BerthException(status >= 500 ? ErrorCode.INTERNAL : ErrorCode.INVALID_ARGUMENT,
                "the daemon at " + address + " answered " + status + ": " + new String(body, StandardCharsets.UTF_8).strip());
    }

    private BerthException failure(DockerIOException e) {
        if (e.connecting()) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return DaemonAddress.unreachable(address, cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
        }
        return new BerthException(ErrorCode.BACKEND_UNAVAILABLE, "lost the connection to the daemon at " + address + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
        http.close();
    }
}
