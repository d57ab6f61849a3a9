package dev.berth.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.net.NetworkFabric.Attachment;
import dev.berth.net.NetworkFabric.PortMapping;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What workloads can and cannot reach, tried with real packets between real namespaces. */
class BridgeFabricReachabilityTest extends FabricFixture {

    @Test
    void twoWorkloadsOnOneNetworkReachEachOtherByIp() {
        fabric.ensureNetwork(net("a"), false, "owner");
        Attachment server = attach("server", List.of(net("a")));
        Attachment client = attach("client", List.of(net("a")));
        listeners.httpd(netns(server), 80, "hello from server");

        assertThat(TestHost.fetch(netns(client), "http://" + server.primaryIp() + "/index.html")).isEqualTo("hello from server");
    }

    @Test
    void normalNetworkEgressesThroughNatButInternalDoesNot() {
        var outside = outside();
        listeners.httpd(outside.netns, 8080, "outside");
        fabric.ensureNetwork(net("normal"), false, "owner");
        var internal = fabric.ensureNetwork(net("internal"), true, "owner");
        Attachment open = attach("open", List.of(net("normal")));
        Attachment closed = attach("closed", List.of(net("internal")));
        // A workload with NET_ADMIN could add this route itself: the firewall, not the missing route, must stop it.
        TestHost.ok("ip", "-n", netns(closed), "route", "add", outside.address + "/32", "via", internal.gateway());

        assertThat(TestHost.fetch(netns(open), outside.url(8080))).isEqualTo("outside");
        assertThat(TestHost.fetch(netns(closed), outside.url(8080))).isNull();
    }

    @Test
    void internalNetworkCannotReachTheHostsOwnAddresses() {
        var outside = outside();
        int hostPort = listeners.onHost("host service");
        var normal = fabric.ensureNetwork(net("normal"), false, "owner");
        var internal = fabric.ensureNetwork(net("internal"), true, "owner");
        Attachment open = attach("open", List.of(net("normal")));
        Attachment closed = attach("closed", List.of(net("internal")));
        TestHost.ok("ip", "-n", netns(closed), "route", "add", outside.hostAddress + "/32", "via", internal.gateway());

        assertThat(TestHost.fetch(netns(open), "http://" + normal.gateway() + ":" + hostPort + "/")).isEqualTo("host service");
        assertThat(TestHost.fetch(netns(closed), "http://" + internal.gateway() + ":" + hostPort + "/")).isNull();
        assertThat(TestHost.fetch(netns(closed), "http://" + outside.hostAddress + ":" + hostPort + "/")).isNull();
    }

    @Test
    void internalWorkloadsStillReachEachOther() {
        fabric.ensureNetwork(net("internal"), true, "owner");
        Attachment server = attach("server", List.of(net("internal")));
        Attachment client = attach("client", List.of(net("internal")));
        listeners.httpd(netns(server), 80, "inside");

        assertThat(TestHost.fetch(netns(client), "http://" + server.primaryIp() + "/index.html")).isEqualTo("inside");
    }

    @Test
    void workloadsOnDifferentNetworksAreIsolated() {
        fabric.ensureNetwork(net("a"), false, "owner");
        fabric.ensureNetwork(net("b"), false, "owner");
        Attachment server = attach("server", List.of(net("a")));
        Attachment client = attach("client", List.of(net("b")));
        listeners.httpd(netns(server), 80, "a only");

        assertThat(TestHost.fetch(netns(client), "http://" + server.primaryIp() + "/index.html")).isNull();
    }

    @Test
    void publishedEphemeralPortIsReachableFromLoopbackGatewayAndOutside() {
        var outside = outside();
        var network = fabric.ensureNetwork(net("web"), false, "owner");
        Attachment web = attach("web", List.of(net("web")), new PortMapping(null, 0, 80, "tcp"));
        listeners.httpd(netns(web), 80, "published");

        int hostPort = web.ports().getFirst().hostPort();
        assertThat(hostPort).isBetween(1024, 65535);
        assertThat(fabric.attachment(web.workloadId()).orElseThrow().ports()).containsExactly(new PortMapping(null, hostPort, 80, "tcp"));
        assertThat(TestHost.fetch(null, "http://127.0.0.1:" + hostPort + "/index.html")).isEqualTo("published");
        assertThat(TestHost.fetch(null, "http://" + network.gateway() + ":" + hostPort + "/index.html")).isEqualTo("published");
        assertThat(TestHost.fetch(outside.netns, "http://" + outside.hostAddress + ":" + hostPort + "/index.html")).isEqualTo("published");
    }

    @Test
    void publishedPortBoundToLoopbackIsNotPublishedElsewhere() {
        var network = fabric.ensureNetwork(net("web"), false, "owner");
        Attachment web = attach("web", List.of(net("web")), new PortMapping("127.0.0.1", 0, 80, "tcp"));
        listeners.httpd(netns(web), 80, "loopback only");
        int hostPort = web.ports().getFirst().hostPort();

        assertThat(TestHost.fetch(null, "http://127.0.0.1:" + hostPort + "/index.html")).isEqualTo("loopback only");
        assertThat(TestHost.fetch(null, "http://" + network.gateway() + ":" + hostPort + "/index.html")).isNull();
    }

    @Test
    void defaultNetworkIsCreatedOnDemandWithEgress() {
        var outside = outside();
        listeners.httpd(outside.netns, 8080, "outside");
        Attachment workload = attach("default", List.of());

        assertThat(fabric.network(NetworkFabric.DEFAULT_NETWORK)).get().extracting(NetworkFabric.BridgeNetwork::internal).isEqualTo(false);
        assertThat(workload.endpoints()).singleElement().satisfies(e -> {
            assertThat(e.network()).isEqualTo(NetworkFabric.DEFAULT_NETWORK);
            assertThat(e.ifname()).isEqualTo("eth0");
        });
        assertThat(TestHost.fetch(netns(workload), outside.url(8080))).isEqualTo("outside");
    }
}
