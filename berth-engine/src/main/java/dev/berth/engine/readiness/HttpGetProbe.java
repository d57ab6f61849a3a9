package dev.berth.engine.readiness;

import dev.berth.api.spi.BackendStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Ready once GET {@code path} on the port answers 2xx or 3xx (redirects are not followed). */
final class HttpGetProbe implements ReadinessProbe {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

    private final int port;
    private final String path;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    HttpGetProbe(int port, String path) {
        this.port = port;
        this.path = path;
    }

    @Override
    public String describe() {
        return "http GET :" + port + path;
    }

    @Override
    public void check(BackendStatus status) throws Exception {
        var address = ProbeAddress.of(status, port);
        String host = address.getHostString().contains(":") ? "[" + address.getHostString() + "]" : address.getHostString();
        var request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + address.getPort() + path))
                .timeout(REQUEST_TIMEOUT).GET().build();
        int code = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (code < 200 || code >= 400) {
            throw new NotReady("HTTP " + code);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
