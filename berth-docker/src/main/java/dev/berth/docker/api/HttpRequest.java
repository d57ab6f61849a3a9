package dev.berth.docker.api;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP/1.1 request. {@code target} is the origin-form path plus query, already percent-encoded.
 * Host, User-Agent and body framing headers are added by the connection.
 */
public record HttpRequest(String method, String target, Map<String, String> headers, Body body) {

    public sealed interface Body permits Bytes, Streamed {
        String contentType();
    }

    /** A body held in memory; safe to resend on a fresh connection. */
    public record Bytes(byte[] data, String contentType) implements Body {
    }

    /**
     * A body read from {@code in} while sending; {@code length < 0} means chunked transfer encoding.
     * Cannot be replayed, so requests carrying one are never retried.
     */
    public record Streamed(InputStream in, long length, String contentType) implements Body {
    }

    public HttpRequest {
        headers = Map.copyOf(headers);
    }

    public static HttpRequest of(String method, String target) {
        return new HttpRequest(method, target, Map.of(), null);
    }

    public static HttpRequest get(String target) {
        return of("GET", target);
    }

    public static HttpRequest post(String target) {
        return of("POST", target);
    }

    public HttpRequest withBody(Body newBody) {
        return new HttpRequest(method, target, headers, newBody);
    }

    public HttpRequest withJson(byte[] json) {
        return withBody(new Bytes(json, "application/json"));
    }

    public HttpRequest withText(String text, String contentType) {
        return withBody(new Bytes(text.getBytes(StandardCharsets.UTF_8), contentType));
    }

    public HttpRequest withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new HttpRequest(method, target, h, body);
    }

    /** Whether sending it twice is harmless, per RFC 9110 method semantics. */
    public boolean idempotent() {
        return switch (method) {
            case "GET", "HEAD", "PUT", "DELETE", "OPTIONS" -> true;
            default -> false;
        };
    }

    public boolean replayable() {
        return !(body instanceof Streamed);
    }
}
