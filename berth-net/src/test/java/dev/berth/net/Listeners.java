package dev.berth.net;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** HTTP listeners a test starts (busybox httpd inside a netns, or a JDK server on the host), all stopped by close. */
final class Listeners implements AutoCloseable {
    private final Path webRoot;
    private final List<Process> processes = new ArrayList<>();
    private final List<HttpServer> servers = new ArrayList<>();

    Listeners(Path webRoot) {
        this.webRoot = webRoot;
    }

    /** busybox httpd on {@code port} in {@code netns}, serving {@code body} as /index.html; returns once it listens. */
    void httpd(String netns, int port, String body) {
        Path dir = webRoot.resolve(netns + "-" + port);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("index.html"), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        processes.add(TestHost.HOST.start(List.of("ip", "netns", "exec", netns, "/bin/busybox", "httpd", "-f",
                "-p", String.valueOf(port), "-h", dir.toString())));
        TestHost.awaitListening(netns, port);
    }

    /** A server on all of the host's addresses, on a free port, answering {@code body}; returns the port. */
    int onHost(String body) {
        try {
            var server = HttpServer.create(new InetSocketAddress(0), 16);
            server.createContext("/", exchange -> {
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, bytes.length);
                try (var out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            });
            server.start();
            servers.add(server);
            return server.getAddress().getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        processes.forEach(LocalHostCommands::killTree);
        for (Process p : processes) {
            p.onExit().join();
        }
        servers.forEach(s -> s.stop(0));
    }
}
