package dev.berth.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Published ports: an ephemeral host port is reported back and reachable from the host. */
public interface PortCases {
    /** The kit instance running these cases (the backend's conformance test). */
    BackendConformance kit();



    @Test
    default void publishedEphemeralPortIsReportedAndServesFromTheHost() {
        var spec = kit().busybox("web", "sh", "-c", "echo published > /srv/index.html; httpd -f -p 8080 -h /srv")
                .port(8080).build();
        kit().berth().run(spec);

        var hostPort = kit().berth().inspect(spec.name()).hostPort(8080);

        assertThat(hostPort).as("host port published for 8080").isPresent();
        assertThat(hostPort.getAsInt()).isPositive();
        String url = "http://127.0.0.1:" + hostPort.getAsInt() + "/";
        String body = Await.value(BackendConformance.WAIT, () -> get(url), "GET " + url + " from the host");
        assertThat(body).isEqualTo("published\n");
    }

    private static Optional<String> get(String url) {
        try (var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            var request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).GET().build();
            var response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
