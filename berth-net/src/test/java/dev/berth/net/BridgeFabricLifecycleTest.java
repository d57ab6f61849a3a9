package dev.berth.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.net.NetworkFabric.AttachRequest;
import dev.berth.net.NetworkFabric.Attachment;
import dev.berth.net.NetworkFabric.BridgeNetwork;
import dev.berth.net.NetworkFabric.PortMapping;
import dev.berth.net.iptables.ForwardAccept;
import dev.berth.net.link.Ip;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Records, IPAM, idempotence and cleanup: what stays on the host and on disk after each call. */
class BridgeFabricLifecycleTest extends FabricFixture {

    @Test
    void ipamPersistsAcrossInstancesAndIsReleased() {
        BridgeNetwork a = fabric.ensureNetwork(net("a"), false, "owner");
        Attachment first = attach("one", List.of(net("a")), new PortMapping(null, 0, 80, "tcp"));

        BridgeFabric reopened = open();
        assertThat(reopened.network(net("a"))).contains(a);
        assertThat(reopened.attachment(first.workloadId())).contains(first);
        Attachment second = reopened.attach(new AttachRequest(prefix + "two", "two", List.of(net("a")), List.of(), List.of()));
        assertThat(second.primaryIp()).isNotEqualTo(first.primaryIp());
        BridgeNetwork b = reopened.ensureNetwork(net("b"), false, "owner");
        assertThat(b.subnet()).isNotEqualTo(a.subnet());

        reopened.release(first.workloadId());
        Attachment third = reopened.attach(new AttachRequest(prefix + "three", "three", List.of(net("a")), List.of(), List.of()));
        assertThat(third.primaryIp()).as("a released address is free again").isEqualTo(first.primaryIp());
        reopened.release(second.workloadId());
        reopened.release(third.workloadId());
        assertThat(reopened.removeNetwork(net("a"))).isTrue();
        assertThat(reopened.removeNetwork(net("a"))).isFalse();
        BridgeNetwork again = reopened.ensureNetwork(net("c"), false, "owner");
        assertThat(again.subnet()).as("a removed network's subnet is free again").isEqualTo(a.subnet());
        assertThat(new Ip(TestHost.HOST).linkExists(a.bridge())).isFalse();
    }

    @Test
    void removeNetworkWhileAttachedIsAConflict() {
        fabric.ensureNetwork(net("busy"), false, "owner");
        Attachment workload = attach("user", List.of(net("busy")));

        assertThatThrownBy(() -> fabric.removeNetwork(net("busy"))).isInstanceOfSatisfying(BerthException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT)).hasMessageContaining(workload.workloadId());
        fabric.release(workload.workloadId());
        assertThat(fabric.removeNetwork(net("busy"))).isTrue();
    }

    @Test
    void ensureNetworkWithOtherSettingsIsAConflictAndSameSettingsIsIdempotent() {
        BridgeNetwork created = fabric.ensureNetwork(net("n"), true, "owner");

        assertThat(fabric.ensureNetwork(net("n"), true, "owner")).isEqualTo(created);
        assertThatThrownBy(() -> fabric.ensureNetwork(net("n"), false, "owner"))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
        assertThatThrownBy(() -> fabric.ensureNetwork(net("n"), true, "someone-else"))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
    }

    @Test
    void attachToAnUnknownNetworkIsNotFoundAndLeavesNothing() {
        assertThatThrownBy(() -> attach("lost", List.of(net("nope"))))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(fabric.attachment(prefix + "lost")).isEmpty();
        assertThat(fabric.orphans()).isEmpty();
    }

    @Test
    void attachIsIdempotentAndReleaseTwiceIsHarmless() {
        Attachment first = attach("same", List.of());
        assertThat(attach("same", List.of())).isEqualTo(first);

        fabric.release(first.workloadId());
        fabric.release(first.workloadId());
        assertThat(fabric.attachment(first.workloadId())).isEmpty();
        assertThat(new Ip(TestHost.HOST).namespaces()).doesNotContain(netns(first));
    }

    @Test
    void attachRebuildsWhatAHostRebootTookAway() {
        BridgeNetwork network = fabric.ensureNetwork(net("reboot"), false, "owner");
        Attachment before = attach("survivor", List.of(net("reboot")));
        TestHost.ok("ip", "link", "del", hostVethOf(before));
        TestHost.ok("ip", "netns", "del", netns(before));
        TestHost.ok("ip", "link", "del", network.bridge());

        Attachment after = attach("survivor", List.of(net("reboot")));
        Attachment peer = attach("peer", List.of(net("reboot")));
        listeners.httpd(netns(after), 80, "back");

        assertThat(after).isEqualTo(before);
        assertThat(TestHost.fetch(netns(peer), "http://" + after.primaryIp() + "/index.html")).isEqualTo("back");
    }

    @Test
    void concurrentAttachesGetDistinctAddressesAndPorts() throws Exception {
        fabric.ensureNetwork(net("busy"), false, "owner");
        var tasks = new ArrayList<java.util.concurrent.Future<Attachment>>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 8; i++) {
                String name = "w" + i;
                tasks.add(pool.submit(() -> attach(name, List.of(net("busy")), new PortMapping(null, 0, 80, "tcp"))));
            }
        }
        var attachments = new ArrayList<Attachment>();
        for (var task : tasks) {
            attachments.add(task.get());
        }

        assertThat(attachments).extracting(Attachment::primaryIp).doesNotHaveDuplicates();
        assertThat(attachments).extracting(a -> a.ports().getFirst().hostPort()).doesNotHaveDuplicates();
        assertThat(fabric.peers(net("busy"))).hasSize(8);
    }

    @Test
    void peersListNameAliasesAndAddressOfEveryAttachedWorkload() {
        fabric.ensureNetwork(net("p"), false, "owner");
        Attachment one = attach("one", List.of(net("p")));
        Attachment two = attach("two", List.of(net("p")));

        assertThat(fabric.peers(net("p"))).containsExactlyInAnyOrder(
                new NetworkFabric.Peer(one.workloadId(), "one", List.of("one-alias"), one.primaryIp()),
                new NetworkFabric.Peer(two.workloadId(), "two", List.of("two-alias"), two.primaryIp()));
        fabric.release(one.workloadId());
        assertThat(fabric.peers(net("p"))).extracting(NetworkFabric.Peer::workloadId).containsExactly(two.workloadId());
    }

    @Test
    void workloadOnTwoNetworksGetsAnInterfaceOnEachAndRoutesThroughTheFirstNonInternal() {
        fabric.ensureNetwork(net("private"), true, "owner");
        BridgeNetwork open = fabric.ensureNetwork(net("open"), false, "owner");
        Attachment both = attach("both", List.of(net("private"), net("open")));

        assertThat(both.endpoints()).extracting(NetworkFabric.Endpoint::ifname).containsExactly("eth0", "eth1");
        assertThat(TestHost.ok("ip", "-n", netns(both), "route", "show", "default"))
                .contains("via " + open.gateway() + " dev eth1");
    }

    @Test
    void hundredAttachReleaseCyclesLeaveNothingBehind() {
        fabric.ensureNetwork(net("churn"), false, "owner");
        String before = nftTable();
        var latencies = new ArrayList<Duration>();
        for (int i = 0; i < 100; i++) {
            long start = System.nanoTime();
            Attachment a = attach("cycle", List.of(net("churn")), new PortMapping(null, 0, 8080, "tcp"));
            long attached = System.nanoTime();
            fabric.release(a.workloadId());
            latencies.add(Duration.ofNanos(attached - start));
            latencies.add(Duration.ofNanos(System.nanoTime() - attached));
        }
        System.out.printf("attach/release over 100 cycles: attach median %d ms, release median %d ms%n",
                median(latencies, 0), median(latencies, 1));

        var ip = new Ip(TestHost.HOST);
        assertThat(ip.namespaces()).noneMatch(n -> n.startsWith(fabric.names().netnsPrefix()));
        assertThat(ip.links()).filteredOn(l -> fabric.names().alias().equals(l.alias()))
                .extracting(Ip.Link::name).containsExactly(fabric.network(net("churn")).orElseThrow().bridge());
        assertThat(nftTable()).isEqualTo(before).doesNotContain("dnat ip to");
        assertThat(fabric.peers(net("churn"))).isEmpty();
        assertThat(fabric.orphans()).isEmpty();
        assertThat(TestHost.ok("ip", "-4", "neigh", "show", "dev", fabric.network(net("churn")).orElseThrow().bridge()))
                .doesNotContain("FAILED");
    }

    @Test
    void orphansFindsLeftoversThatNoRecordExplains() {
        Attachment workload = attach("leak", List.of());
        String leakedNetns = fabric.names().netnsPrefix() + "0123456789ab";
        TestHost.ok("ip", "netns", "add", leakedNetns);
        String leakedLink = "vbr0123456789ab";
        TestHost.ok("ip", "link", "add", leakedLink, "type", "bridge");
        TestHost.ok("ip", "link", "set", "dev", leakedLink, "alias", fabric.names().alias());

        assertThat(fabric.orphans()).containsExactlyInAnyOrder("netns " + leakedNetns, "link " + leakedLink);
        assertThat(fabric.orphans()).noneMatch(o -> o.contains(netns(workload)));
    }

    @Test
    void releaseAfterACrashBetweenNetnsCreationAndVethSetupCleansUp() {
        var crashing = BridgeFabric.open(stateDir, new CrashAfterNetnsAdd());
        String id = prefix + "crash";
        assertThatThrownBy(() -> crashing.attach(new AttachRequest(id, "crash", List.of(), List.of(), List.of())))
                .isInstanceOf(SimulatedCrash.class);
        String ns = fabric.names().netns(id);
        assertThat(new Ip(TestHost.HOST).namespaces()).contains(ns);

        BridgeFabric restarted = open();
        restarted.release(id);

        assertThat(new Ip(TestHost.HOST).namespaces()).doesNotContain(ns);
        assertThat(restarted.attachment(id)).isEmpty();
        assertThat(restarted.orphans()).isEmpty();
        Attachment fresh = restarted.attach(new AttachRequest(prefix + "after", "after", List.of(), List.of(), List.of()));
        assertThat(fresh.primaryIp()).as("the crashed attach's address was released").endsWith(".2");
    }

    @Test
    void reserveMakesAnEmptyNetnsThatAttachPlugsInWhileAProcessIsAlreadyInside() {
        fabric.ensureNetwork(net("two-phase"), false, "owner");
        var request = new AttachRequest(prefix + "early", "early", List.of(net("two-phase")), List.of(), List.of());
        Attachment reserved = fabric.reserve(request);

        assertThat(new Ip(TestHost.HOST).namespaces()).contains(netns(reserved));
        assertThat(TestHost.ok("ip", "-n", netns(reserved), "-o", "link", "show")).doesNotContain("eth0");
        assertThat(fabric.attachment(reserved.workloadId())).as("not attached before attach completes").isEmpty();
        assertThat(fabric.peers(net("two-phase"))).isEmpty();
        assertThat(fabric.reserve(request)).as("reserve is idempotent").isEqualTo(reserved);

        // What a runtime does between the two halves: a process joins the netns and listens.
        listeners.httpd(netns(reserved), 80, "inside before the veth");
        Attachment attached = fabric.attach(request);
        Attachment peer = attach("peer", List.of(net("two-phase")));

        assertThat(attached).as("same netns, addresses and ports as reserved").isEqualTo(reserved);
        assertThat(fabric.peers(net("two-phase"))).extracting(NetworkFabric.Peer::workloadId)
                .containsExactlyInAnyOrder(reserved.workloadId(), peer.workloadId());
        assertThat(TestHost.fetch(netns(peer), "http://" + attached.primaryIp() + "/index.html")).isEqualTo("inside before the veth");
    }

    @Test
    void attachCompletesAReservationWhoseFirstPlugCrashedHalfWay() {
        var request = new AttachRequest(prefix + "half", "half", List.of(), List.of(), List.of());
        Attachment reserved = fabric.reserve(request);
        String hostVeth = fabric.names().hostVeth(reserved.workloadId(), NetworkFabric.DEFAULT_NETWORK);
        // A crash after the first line of the plug batch: the veth pair exists, nothing else.
        TestHost.ok("ip", "link", "add", "name", hostVeth, "type", "veth", "peer", "name", "eth0", "netns", netns(reserved));

        Attachment attached = fabric.attach(request);

        assertThat(attached).isEqualTo(reserved);
        assertThat(TestHost.ok("ip", "-n", netns(attached), "-4", "-o", "addr", "show", "dev", "eth0")).contains(attached.primaryIp());
        assertThat(fabric.orphans()).isEmpty();
    }

    @Test
    void releasingAReservationFreesItsNetnsAndAddress() {
        Attachment reserved = fabric.reserve(new AttachRequest(prefix + "aborted", "aborted", List.of(), List.of(), List.of()));

        fabric.release(reserved.workloadId());

        assertThat(new Ip(TestHost.HOST).namespaces()).doesNotContain(netns(reserved));
        assertThat(fabric.orphans()).isEmpty();
        assertThat(attach("next", List.of()).primaryIp()).as("the reserved address is free again").isEqualTo(reserved.primaryIp());
    }

    @Test
    void iptablesForwardAcceptsBerthBridgesWhenForwardIsInUseAndForgetsThemWithTheNetwork() {
        String forward = TestHost.ok("iptables", "-S", "FORWARD");
        BridgeNetwork network = fabric.ensureNetwork(net("fw"), false, "owner");
        var rules = new ForwardAccept(TestHost.HOST, fabric.names().alias());
        boolean inUse = !forward.strip().equals("-P FORWARD ACCEPT");

        assertThat(rules.bridges()).isEqualTo(inUse ? java.util.Set.of(network.bridge()) : java.util.Set.of());
        fabric.removeNetwork(net("fw"));
        assertThat(rules.bridges()).isEmpty();
        assertThat(TestHost.ok("iptables", "-S", "FORWARD")).isEqualTo(forward);
    }

    private String hostVethOf(Attachment attachment) {
        return fabric.names().hostVeth(attachment.workloadId(), attachment.endpoints().getFirst().network());
    }

    private String nftTable() {
        return TestHost.run("nft", "list", "table", "inet", fabric.names().table()).stdout();
    }

    private static long median(List<Duration> samples, int parity) {
        var values = new ArrayList<Long>();
        for (int i = parity; i < samples.size(); i += 2) {
            values.add(samples.get(i).toMillis());
        }
        values.sort(null);
        return values.get(values.size() / 2);
    }

    /** Stands for the process dying: an Error, which attach does not clean up after. */
    static final class SimulatedCrash extends Error {
        SimulatedCrash() {
            super("simulated crash after netns add");
        }
    }

    /** Runs the real host batch only up to its "netns add" line, then "dies". */
    static final class CrashAfterNetnsAdd implements HostCommands {
        @Override
        public Result run(List<String> argv, byte[] stdin, Duration timeout) {
            if (argv.equals(List.of("ip", "-b", "-")) && stdin != null && new String(stdin).startsWith("netns add ")) {
                String netnsAdd = new String(stdin).lines().findFirst().orElseThrow();
                TestHost.ok("ip", "netns", "add", netnsAdd.substring("netns add ".length()));
                throw new SimulatedCrash();
            }
            return TestHost.HOST.run(argv, stdin, timeout);
        }
    }
}
