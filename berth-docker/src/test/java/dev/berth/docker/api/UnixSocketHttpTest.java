package dev.berth.docker.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixSocketHttpTest {
    @TempDir
    Path dir;

    private static void ascii(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @Test
    void sequentialRequestsReuseOneConnection() throws Exception {
        try (FakeDaemon d = new FakeDaemon(dir, (r, out) -> FakeDaemon.respond(out, 200, "{\"ok\":true}"));
             UnixSocketHttp http = new UnixSocketHttp(d.socket)) {
            for (int i = 0; i < 20; i++) {
                assertThat(http.execute(HttpRequest.get("/_ping")).text()).isEqualTo("{\"ok\":true}");
            }
            assertThat(http.connectionsOpened()).isEqualTo(1);
            assertThat(d.connections.get()).isEqualTo(1);
        }
    }

    @Test
    void concurrentVirtualThreadsGetTheirOwnConnectionsAndThePoolStaysBounded() throws Exception {
        try (FakeDaemon d = new FakeDaemon(dir, (r, out) -> FakeDaemon.respond(out, 200, "\"" + r.target() + "\""));
             UnixSocketHttp http = new UnixSocketHttp(d.socket, 4);
             var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var results = new java.util.ArrayList<java.util.concurrent.Future<String>>();
            for (int i = 0; i < 200; i++) {
                String target = "/r" + i;
                results.add(executor.submit(() -> http.execute(HttpRequest.get(target)).text()));
            }
            for (int i = 0; i < 200; i++) {
                assertThat(results.get(i).get(30, TimeUnit.SECONDS)).isEqualTo("\"/r" + i + "\"");
            }
            assertThat(http.idleConnections()).isLessThanOrEqualTo(4);
            long opened = http.connectionsOpened();
            for (int i = 0; i < 20; i++) {
                http.execute(HttpRequest.get("/after")).bytes();
            }
            assertThat(http.connectionsOpened()).isEqualTo(opened); // the survivors of the burst are reused
        }
    }

    @Test
    void chunkedResponsesAlsoKeepTheConnection() throws Exception {
        try (FakeDaemon d = new FakeDaemon(dir, (r, out) -> {
            ascii(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
            return true;
        }); UnixSocketHttp http = new UnixSocketHttp(d.socket)) {
            assertThat(http.execute(HttpRequest.get("/a")).text()).isEqualTo("abc");
            assertThat(http.execute(HttpRequest.get("/b")).text()).isEqualTo("abc");
            assertThat(http.connectionsOpened()).isEqualTo(1);
        }
    }

    @Test
    void aResponseClosedBeforeItsEndDiscardsTheConnection() throws Exception {
        try (FakeDaemon d = new FakeDaemon(dir, (r, out) -> FakeDaemon.respond(out, 200, "x".repeat(100_000)));
             UnixSocketHttp http = new UnixSocketHttp(d.socket)) {
            HttpResponse r = http.execute(HttpRequest.get("/big"));
            r.body().read(new byte[10]);
            r.close();
            assertThat(http.idleConnections()).isZero();
            assertThat(http.execute(HttpRequest.get("/big")).bytes()).hasSize(100_000);
            assertThat(http.connectionsOpened()).isEqualTo(2);
        }
    }

    @Test
    void aPooledConnectionTheServerClosedIsReplacedTransparently() throws Exception {
        // The server answers each connection once and then hangs up, as after an idle timeout.
        try (FakeDaemon d = new FakeDaemon(dir, (r, out) -> FakeDaemon.respond(out, 200, "{}") && false);
             UnixSocketHttp http = new UnixSocketHttp(d.socket)) {
            for (int i = 0; i < 3; i++) {
                assertThat(http.execute(HttpRequest.get("/x")).text()).isEqualTo("{}");
                // Give the server's close time to arrive so the next request finds a dead idle connection.
                awaitServerClose(d, i + 1);
            }
            // POST is not idempotent, but a connection already closed while idle is detected before sending.
            assertThat(http.execute(HttpRequest.post("/y")).text()).isEqualTo("{}");
            assertThat(d.requests).hasSize(4);
        }
    }

    private static void awaitServerClose(FakeDaemon d, int handled) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (d.requests.size() < handled && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        Thread.sleep(20); // test-only: let the FIN reach our side
    }

    @Test
    void staleConnectionDetectedOnlyAfterSendingIsRetriedForIdempotentRequests() throws Exception {
        // Reads the second request on the first connection, then hangs up without answering.
        try (FakeDaemon d = new FakeDaemon(dir, (r, out) -> {
            if (r.connection() == 1 && r.target().equals("/second")) {
                return false;
            }
            return FakeDaemon.respond(out, 200, "\"" + r.target() + "\"");
        }); UnixSocketHttp http = new UnixSocketHttp(d.socket)) {
            assertThat(http.execute(HttpRequest.get("/first")).text()).isEqualTo("\"/first\"");
            assertThat(http.execute(HttpRequest.get("/second")).text()).isEqualTo("\"/second\"");
            assertThat(d.connections.get()).isEqualTo(2);
        }
    }

    @Test
    void streamedBodiesAreSentChunkedOrWithTheirLength() throws Exception {
        try (FakeDaemon d = new FakeDaemon(dir, (r, out) -> FakeDaemon.respond(out, 200, ""));
             UnixSocketHttp http = new UnixSocketHttp(d.socket)) {
            byte[] data = new byte[100_000];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (i * 7);
            }
            http.execute(HttpRequest.of("PUT", "/chunked")
                    .withBody(new HttpRequest.Streamed(new ByteArrayInputStream(data), -1, "application/x-tar"))).bytes();
            http.execute(HttpRequest.of("PUT", "/sized")
                    .withBody(new HttpRequest.Streamed(new ByteArrayInputStream(data), data.length, "application/x-tar"))).bytes();
            assertThat(d.requests.get(0).headers()).containsEntry("Transfer-Encoding", "chunked");
            assertThat(d.requests.get(0).body()).isEqualTo(data);
            assertThat(d.requests.get(1).headers()).containsEntry("Content-Length", "100000");
            assertThat(d.requests.get(1).body()).isEqualTo(data);
            assertThat(http.connectionsOpened()).isEqualTo(1);
        }
    }

    @Test
    void anEarlyRejectionOfAnUploadIsReportedInsteadOfTheBrokenPipe() throws Exception {
        // A raw server that answers 404 as soon as the head arrives and never reads the body.
        try (var server = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            Path sock = dir.resolve("early.sock");
            server.bind(java.net.UnixDomainSocketAddress.of(sock));
            Thread.ofVirtual().start(() -> {
                try (var ch = server.accept()) {
                    ch.read(java.nio.ByteBuffer.allocate(512));
                    byte[] body = "{\"message\":\"No such container: x\"}".getBytes(StandardCharsets.UTF_8);
                    ch.write(java.nio.ByteBuffer.wrap(("HTTP/1.1 404 Not Found\r\nContent-Length: " + body.length
                            + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
                    ch.write(java.nio.ByteBuffer.wrap(body));
                } catch (IOException ignored) {
                    // test server
                }
            });
            try (UnixSocketHttp http = new UnixSocketHttp(sock)) {
                InputStream endless = new InputStream() {
                    @Override
                    public int read() {
                        return 'x';
                    }

                    @Override
                    public int read(byte[] b, int off, int len) {
                        java.util.Arrays.fill(b, off, off + len, (byte) 'x');
                        return len;
                    }
                };
                HttpResponse r = http.execute(HttpRequest.of("PUT", "/containers/x/archive?path=/")
                        .withBody(new HttpRequest.Streamed(endless, -1, "application/x-tar")));
                assertThat(r.status()).isEqualTo(404);
                assertThat(r.text()).contains("No such container");
                assertThat(http.idleConnections()).isZero();
            }
        }
    }

    @Test
    void upgradeHandsOverBytesThatArrivedWithTheHead() throws Exception {
        try (FakeDaemon d = new FakeDaemon(dir, (r, out) -> {
            assertThat(r.headers()).containsEntry("Upgrade", "tcp").containsEntry("Connection", "Upgrade");
            // Head and first payload in one write: the payload must not be lost in our header buffer.
            ascii(out, "HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\nhello ");
            ascii(out, "world");
            return false;
        }); UnixSocketHttp http = new UnixSocketHttp(d.socket);
             HijackedConnection c = http.upgrade(HttpRequest.post("/exec/1/start").withJson("{}".getBytes()))) {
            assertThat(c.status()).isEqualTo(101);
            InputStream in = c.input();
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello world");
        }
    }

    @Test
    void errorStatusesCarryTheDaemonMessage() throws Exception {
        try (FakeDaemon d = new FakeDaemon(dir, (r, out) -> FakeDaemon.respond(out, 404, "{\"message\":\"No such exec instance: 1\"}"));
             UnixSocketHttp http = new UnixSocketHttp(d.socket)) {
            assertThatThrownBy(() -> http.upgrade(HttpRequest.post("/exec/1/start")))
                    .isInstanceOf(NotFoundException.class)
                    .hasMessageContaining("No such exec instance: 1")
                    .satisfies(e -> assertThat(((DockerApiException) e).status()).isEqualTo(404));
        }
    }

    @Test
    void missingSocketIsReportedByName() {
        try (UnixSocketHttp http = new UnixSocketHttp(dir.resolve("nope.sock"))) {
            assertThatThrownBy(() -> http.execute(HttpRequest.get("/_ping")))
                    .isInstanceOf(DockerIOException.class)
                    .hasMessageContaining(dir.resolve("nope.sock").toString());
        }
    }
}
