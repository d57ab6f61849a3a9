package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.docker.api.HttpRequest;
import dev.berth.docker.api.HttpResponse;
import dev.berth.docker.api.UnixSocketHttp;
import dev.berth.docker.backend.DockerBackendProvider;
import dev.berth.engine.Engine;
import dev.berth.server.http.ApiServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The REST API's contract as a client sees it over real HTTP: JSON errors with the right status
 * for every kind of bad request (never a 5xx), the socket's permissions, the TCP token, and the
 * OpenAPI document matching what the server actually serves.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private DaemonFixture daemon;
    private UnixSocketHttp http;

    @BeforeAll
    void start() throws IOException {
        // A socket that does not exist: these tests never reach a backend.
        daemon = DaemonFixture.start(DockerBackendProvider.docker(), Map.of("socket", "/nonexistent/docker.sock"), true);
        http = new UnixSocketHttp(daemon.socket);
    }

    @AfterAll
    void stop() {
        http.close();
        daemon.close();
    }

    private HttpResponse send(HttpRequest req) {
        return http.execute(req);
    }

    private static JsonNode json(HttpResponse response) throws IOException {
        return JSON.readTree(response.text());
    }

    @Test
    void malformedJsonIs400WithAMessage() throws IOException {
        var r = send(HttpRequest.post("/v1/workloads/x/exec").withText("{\"argv\": [", "application/json"));
        assertThat(r.status()).isEqualTo(400);
        JsonNode body = json(r);
        assertThat(body.path("code").asText()).isEqualTo("invalid_argument");
        assertThat(body.path("message").asText()).contains("malformed JSON");
    }

    @Test
    void unknownFieldIs400NamingTheFieldAndTheAllowedOnes() throws IOException {
        var r = send(HttpRequest.post("/v1/workloads/x/exec").withText("{\"argv\":[\"true\"],\"tyy\":true}", "application/json"));
        assertThat(r.status()).isEqualTo(400);
        JsonNode body = json(r);
        assertThat(body.path("field").asText()).isEqualTo("tyy");
        assertThat(body.path("message").asText()).contains("unknown field 'tyy'").contains("argv").contains("tty");
    }

    @Test
    void wrongTypeIs400NamingTheField() throws IOException {
        var r = send(HttpRequest.post("/v1/workloads/x/exec").withText("{\"argv\":[\"true\"],\"tty\":\"yes\"}", "application/json"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(json(r).path("field").asText()).isEqualTo("tty");
    }

    @Test
    void invalidSpecIs400NamingTheSpecField() throws IOException {
        var r = send(HttpRequest.post("/v1/workloads").withText("{\"name\":\"Bad_Name\",\"image\":\"busybox\"}", "application/json"));
        assertThat(r.status()).isEqualTo(400);
        JsonNode body = json(r);
        assertThat(body.path("code").asText()).isEqualTo("invalid_spec");
        assertThat(body.path("field").asText()).isEqualTo("name");
    }

    @Test
    void bodyOverOneMebibyteIs413() throws IOException {
        byte[] big = new byte[(1 << 20) + 10];
        java.util.Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        big[big.length - 1] = '}';
        var r = send(HttpRequest.post("/v1/workloads").withBody(new HttpRequest.Bytes(big, "application/json")));
        assertThat(r.status()).isEqualTo(413);
        assertThat(json(r).path("code").asText()).isEqualTo("payload_too_large");
    }

    @Test
    void badQueryParameterIs400NamingIt() throws IOException {
        var r = send(HttpRequest.get("/v1/workloads?all=maybe"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(json(r).path("field").asText()).isEqualTo("all");
        var grace = send(HttpRequest.post("/v1/workloads/x/stop?grace=soon"));
        assertThat(grace.status()).isEqualTo(400);
        assertThat(json(grace).path("field").asText()).isEqualTo("grace");
    }

    @Test
    void unknownWorkloadIs404NotFound() throws IOException {
        var r = send(HttpRequest.get("/v1/workloads/nope"));
        assertThat(r.status()).isEqualTo(404);
        assertThat(json(r).path("code").asText()).isEqualTo("not_found");
        assertThat(send(HttpRequest.of("DELETE", "/v1/workloads/nope")).status()).isEqualTo(404);
    }

    @Test
    void unknownEndpointIs404Json() throws IOException {
        var r = send(HttpRequest.get("/v1/nothing-here"));
        assertThat(r.status()).isEqualTo(404);
        assertThat(json(r).path("message").asText()).contains("no such endpoint");
    }

    @Test
    void socketIsOwnerOnly() throws IOException {
        assertThat(Files.getPosixFilePermissions(daemon.socket))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void tcpNeedsTheBearerToken() throws IOException {
        try (var tcp = UnixSocketHttp.tcp(new InetSocketAddress("127.0.0.1", daemon.daemon.tcpPort()), 2)) {
            var none = tcp.execute(HttpRequest.get("/v1/workloads"));
            assertThat(none.status()).isEqualTo(401);
            assertThat(JSON.readTree(none.text()).path("code").asText()).isEqualTo("unauthorized");
            assertThat(tcp.execute(HttpRequest.get("/v1/workloads").withHeader("Authorization", "Bearer wrong")).status()).isEqualTo(401);
            var ok = tcp.execute(HttpRequest.get("/v1/workloads").withHeader("Authorization", "Bearer " + DaemonFixture.TOKEN));
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.text()).isEqualTo("[]");
        }
        try (var client = daemon.tcpClient(DaemonFixture.TOKEN)) {
            assertThat(client.list(true)).isEmpty();
        }
        try (var client = daemon.tcpClient("wrong")) {
            assertThatThrownBy(() -> client.list(true)).isInstanceOf(BerthException.class).hasMessageContaining("refused the token");
        }
    }

    @Test
    void tcpWithoutATokenIsRefusedAtStart() {
        assertThatThrownBy(() -> new ApiServer.Listen(daemon.dir.resolve("other.sock"), new InetSocketAddress("127.0.0.1", 0), " "))
                .isInstanceOf(BerthException.class).hasMessageContaining("token");
    }

    @Test
    void aSecondDaemonOnTheSameSocketIsRefused() {
        var engine = Engine.builder().dataDir(daemon.dir.resolve("other-data")).provider(DockerBackendProvider.docker()).build();
        assertThatThrownBy(() -> Daemon.start(engine, new ApiServer.Listen(daemon.socket, null, null), false))
                .isInstanceOf(BerthException.class).hasMessageContaining("already listening");
        assertThat(send(HttpRequest.get("/v1/version")).status()).isEqualTo(200);
    }

    @Test
    void clientWithoutADaemonSaysHowToStartOne() {
        try (var client = new dev.berth.server.client.HttpBerthClient(
                dev.berth.server.client.DaemonAddress.unix(daemon.dir.resolve("none.sock")), null)) {
            assertThatThrownBy(() -> client.list(true)).isInstanceOfSatisfying(BerthException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE);
                assertThat(e.getMessage()).contains("no Berth daemon at unix://").contains("berth daemon").contains("--embedded");
            });
        }
    }

    /** Every path+method in openapi.json is served (answers with anything but "no such endpoint"), and vice versa for a known list. */
    @Test
    void openApiDocumentMatchesTheServedRoutes() throws IOException {
        var r = send(HttpRequest.get("/v1/openapi.json"));
        assertThat(r.status()).isEqualTo(200);
        JsonNode doc = JSON.readTree(r.text());
        assertThat(doc.path("openapi").asText()).startsWith("3.");
        var documented = new ArrayList<String>();
        doc.path("paths").properties().forEach(p -> p.getValue().properties().forEach(m -> {
            if (Set.of("get", "post", "delete", "put").contains(m.getKey())) {
                documented.add(m.getKey().toUpperCase() + " " + p.getKey());
            }
        }));
        assertThat(documented).hasSizeGreaterThan(25);
        for (String route : documented) {
            String[] parts = route.split(" ");
            String target = parts[1].replace("{name}", "no-such-thing");
            HttpResponse answer = parts[1].endsWith("/exec/ws") ? null : send(HttpRequest.of(parts[0], target));
            if (answer != null) {
                String text = answer.text();
                assertThat(text).as(route).doesNotContain("no such endpoint");
                assertThat(answer.status()).as(route + " -> " + text).isLessThan(500).isNotEqualTo(405);
            }
        }
    }

    static List<String> lines(String text) {
        return text.lines().toList();
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
