package dev.berth.docker.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A scripted HTTP/1.1 server on a unix socket, to test the transport without a daemon. */
final class FakeDaemon implements AutoCloseable {
    record Request(String method, String target, Map<String, String> headers, byte[] body, int connection) {
    }

    @FunctionalInterface
    interface Handler {
        /** Writes the full response; return false to close the connection afterwards. */
        boolean handle(Request req, OutputStream out) throws IOException;
    }

    final Path socket;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();
    private final ServerSocketChannel server;
    private final Handler handler;

    FakeDaemon(Path dir, Handler handler) throws IOException {
        this.socket = dir.resolve("fake.sock");
        Files.deleteIfExists(socket);
        this.handler = handler;
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread.ofVirtual().start(this::acceptLoop);
    }

    static boolean respond(OutputStream out, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nContent-Length: " + b.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(b);
        out.flush();
        return true;
    }

    private void acceptLoop() {
        try {
            while (true) {
                SocketChannel ch = server.accept();
                int n = connections.incrementAndGet();
                Thread.ofVirtual().start(() -> serve(ch, n));
            }
        } catch (IOException closed) {
            // server closed
        }
    }

    private void serve(SocketChannel ch, int connNo) {
        try (ch) {
            InputStream in = Channels.newInputStream(ch);
            OutputStream out = Channels.newOutputStream(ch);
            while (true) {
                String line = readLine(in);
                if (line == null) {
                    return;
                }
                String[] parts = line.split(" ");
                Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                String h;
                while (!(h = readLine(in)).isEmpty()) {
                    int c = h.indexOf(':');
                    headers.put(h.substring(0, c).strip(), h.substring(c + 1).strip());
                }
                byte[] body;
                if ("chunked".equals(headers.get("Transfer-Encoding"))) {
                    body = new ChunkedInputStream(in).readAllBytes();
                } else {
                    body = in.readNBytes(Integer.parseInt(headers.getOrDefault("Content-Length", "0")));
                }
                Request req = new Request(parts[0], parts[1], headers, body, connNo);
                requests.add(req);
                if (!handler.handle(req, out)) {
                    return;
                }
            }
        } catch (IOException e) {
            // client went away
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                b.write(c);
            }
        }
        return c < 0 && b.size() == 0 ? null : b.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(socket);
    }
}
