package dev.berth.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.berth.api.model.NetworkInfo;
import dev.berth.api.model.NetworkSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Berth networks: workloads on one network reach each other by name and address; an internal
 * network has no route out, not even to the host. Nothing outside this machine is contacted:
 * the "outside" is an HTTP server the test runs on the host.
 */
public interface NetworkCases {
    /** The kit instance running these cases (the backend's conformance test). */
    BackendConformance kit();

    String HOST_REPLY = "host-ok";



    @Test
    default void workloadsOnOneNetworkReachEachOtherByNameAndAddress() {
        String net = kit().network("net");
        NetworkInfo info = kit().berth().createNetwork(null, new NetworkSpec(net, false, null));
        assertThat(info.name()).isEqualTo(net);
        assertThat(info.internal()).isFalse();
        var server = kit().berth().run(kit().busybox("server", "sh", "-c",
                "echo pong > /srv/index.html; httpd -f -p 8080 -h /srv").network(net).build());
        var client = kit().runIdle(kit().busybox("client").network(net));

        String serverIp = kit().berth().inspect(server.name()).networks().get(net);
        assertThat(serverIp).as("server address on %s", net).isNotBlank();
        assertThat(kit().berth().inspect(client.name()).networks()).containsKey(net);

        assertThat(fetch(client.name(), "http://" + server.name() + ":8080/")).isEqualTo("pong\n");
        assertThat(fetch(client.name(), "http://" + serverIp + ":8080/")).isEqualTo("pong\n");
    }

    @Test
    default void internalNetworkDoesNotForwardToOtherNetworks() {
        String open = kit().network("fwd-open");
        String closed = kit().network("fwd-closed");
        kit().berth().createNetwork(null, new NetworkSpec(open, false, null));
        kit().berth().createNetwork(null, new NetworkSpec(closed, true, null));
        var server = kit().berth().run(kit().busybox("fwd-server", "sh", "-c",
                "echo pong > /srv/index.html; httpd -f -p 8080 -h /srv").network(open).build());
        var neighbour = kit().runIdle(kit().busybox("fwd-neighbour").network(open));
        var inClosed = kit().runIdle(kit().busybox("fwd-closed").network(closed));
        String url = "http://" + kit().berth().inspect(server.name()).networks().get(open) + ":8080/";

        // Positive control: the server answers on its own network.
        assertThat(fetch(neighbour.name(), url)).isEqualTo("pong\n");

        var attempt = kit().exec(inClosed.name(), "timeout", "3", "wget", "-qO-", url);
        assertThat(attempt.stdout()).as("reply from another network").doesNotContain("pong");
        assertThat(attempt.exitCode()).as("wget exit code from the internal network").isNotZero();
    }

    @Test
    default void internalNetworkHasNoRouteToTheHost() throws IOException {
        var degraded = kit().degraded("internal network");
        Assumptions.assumeTrue(degraded.isEmpty(), () -> "backend reports internal networks as degraded: " + degraded);
        String open = kit().network("open");
        String closed = kit().network("closed");
        NetworkInfo openInfo = kit().berth().createNetwork(null, new NetworkSpec(open, false, null));
        NetworkInfo closedInfo = kit().berth().createNetwork(null, new NetworkSpec(closed, true, null));
        assertThat(closedInfo.internal()).isTrue();
        assertThat(openInfo.gateway()).as("gateway of %s", open).isNotBlank();
        var outside = HostServer.start();
        try {
            var inOpen = kit().runIdle(kit().busybox("in-open").network(open));
            var inClosed = kit().runIdle(kit().busybox("in-closed").network(closed));
            String closedIp = kit().berth().inspect(inClosed.name()).networks().get(closed);
            assertThat(closedIp).isNotBlank();

            // Positive control: the host server is reachable from a normal network.
            assertThat(fetch(inOpen.name(), outside.url(openInfo.gateway()))).isEqualTo(HOST_REPLY);

            var hostAddresses = new ArrayList<>(List.of(openInfo.gateway()));
            if (closedInfo.gateway() != null && !closedInfo.gateway().isBlank()) {
                hostAddresses.add(closedInfo.gateway());
            }
            for (String address : hostAddresses) {
                var attempt = kit().exec(inClosed.name(), "timeout", "3", "wget", "-qO-", outside.url(address));
                assertThat(attempt.stdout()).as("reply to %s from the internal network", address).doesNotContain(HOST_REPLY);
                assertThat(attempt.exitCode()).as("wget exit code for %s from the internal network", address).isNotZero();
            }
            assertThat(outside.clients()).as("clients the host server saw").doesNotContain(closedIp);
        } finally {
            outside.stop();
        }
    }

    @Test
    default void removedNetworkIsGoneAndRemovingItAgainReturnsFalse() {
        String net = kit().network("gone");
        kit().berth().createNetwork(null, new NetworkSpec(net, false, null));
        assertThat(kit().berth().listNetworks()).extracting(NetworkInfo::name).contains(net);

        assertThat(kit().berth().removeNetwork(net)).isTrue();

        assertThat(kit().berth().listNetworks()).extracting(NetworkInfo::name).doesNotContain(net);
        assertThat(kit().berth().removeNetwork(net)).isFalse();
    }

    /** GETs {@code url} from inside {@code workload}, retrying (bounded) until the server answers. */
    private String fetch(String workload, String url) {
        return Await.value(BackendConformance.WAIT, () -> {
            var result = kit().exec(workload, "timeout", "3", "wget", "-qO-", url);
            return result.exitCode() == 0 ? Optional.of(result.stdout()) : Optional.empty();
        }, workload + " to fetch " + url);
    }

    /** An HTTP server on every host address, recording the address of each client. */
    record HostServer(HttpServer server, List<String> clients) {
        static HostServer start() throws IOException {
            var clients = new CopyOnWriteArrayList<String>();
            var server = HttpServer.create(new InetSocketAddress("0.0.0.0", 0), 0);
            server.createContext("/", exchange -> {
                clients.add(exchange.getRemoteAddress().getAddress().getHostAddress());
                byte[] body = HOST_REPLY.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (var out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return new HostServer(server, clients);
        }

        String url(String address) {
            return "http://" + address + ":" + server.getAddress().getPort() + "/";
        }

        void stop() {
            server.stop(0);
        }
    }
}
