package dev.berth.api.spec;

/** An HTTP readiness check: GET {@code path} on {@code port} answering 2xx or 3xx. */
public record HttpProbe(int port, String path) {
    public HttpProbe {
        path = path == null ? "/" : path;
    }
}
