package dev.berth.server;

import dev.berth.api.client.BerthClient;
import dev.berth.api.spi.BackendProvider;
import dev.berth.engine.Engine;
import dev.berth.server.client.DaemonAddress;
import dev.berth.server.client.HttpBerthClient;
import dev.berth.server.http.ApiServer;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/** A real daemon in this JVM on a temporary socket (and optionally TCP), with its own data dir. */
final class DaemonFixture implements AutoCloseable {
    static final String TOKEN = "test-token-" + Long.toHexString(System.nanoTime());

    final Path dir;
    final Path socket;
    final Daemon daemon;

    private DaemonFixture(Path dir, Daemon daemon) {
        this.dir = dir;
        this.socket = dir.resolve("berth.sock");
        this.daemon = daemon;
    }

    static DaemonFixture start(BackendProvider provider, Map<String, String> settings, boolean tcp) throws IOException {
        return start(provider, settings, tcp, false);
    }

    static DaemonFixture start(BackendProvider provider, Map<String, String> settings, boolean tcp, boolean stopWorkloadsOnExit)
            throws IOException {
        Path dir = Files.createTempDirectory("berth-daemon-");
        var engine = Engine.builder().dataDir(dir.resolve("data")).defaultBackend(provider.name()).provider(provider)
                .backendSettings(provider.name(), settings).build();
        var listen = new ApiServer.Listen(dir.resolve("berth.sock"), tcp ? new InetSocketAddress("127.0.0.1", 0) : null, tcp ? TOKEN : null);
        return new DaemonFixture(dir, Daemon.start(engine, listen, stopWorkloadsOnExit));
    }

    HttpBerthClient client() {
        return new HttpBerthClient(DaemonAddress.unix(socket), null);
    }

    HttpBerthClient tcpClient(String token) {
        return new HttpBerthClient(DaemonAddress.parse("tcp://127.0.0.1:" + daemon.tcpPort()), token);
    }

    /** A client whose close() also stops this daemon (for fixtures that own one client). */
    BerthClient owningClient() {
        HttpBerthClient http = client();
        return (BerthClient) Proxy.newProxyInstance(BerthClient.class.getClassLoader(), new Class<?>[] {BerthClient.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        http.close();
                        close();
                        return null;
                    }
                    try {
                        return method.invoke(http, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override
    public void close() {
        daemon.close();
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // temp dir; best effort
        }
    }
}
