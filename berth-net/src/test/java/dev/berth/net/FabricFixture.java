package dev.berth.net;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.net.NetworkFabric.AttachRequest;
import dev.berth.net.NetworkFabric.Attachment;
import dev.berth.net.NetworkFabric.PortMapping;
import dev.berth.net.iptables.ForwardAccept;
import dev.berth.net.link.HostNames;
import dev.berth.net.link.Ip;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real fabric on a temporary data dir (so its own instance id, table and names), plus a scrub
 * after each test that removes everything carrying that instance's marks even when the fabric's
 * records are wrong: the test's guarantee that nothing leaks.
 */
abstract class FabricFixture {
    @TempDir
    Path stateDir;
    @TempDir
    Path webRoot;

    BridgeFabric fabric;
    Listeners listeners;
    final List<HostNames> instances = new ArrayList<>();
    final List<AutoCloseable> extras = new ArrayList<>();
    final String prefix = "bt" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff)) + "-";

    @BeforeEach
    void openFabric() {
        assumeTrue("root".equals(System.getProperty("user.name")), "berth-net plumbing tests need root");
        fabric = open();
        listeners = new Listeners(webRoot);
    }

    BridgeFabric open() {
        var opened = BridgeFabric.open(stateDir, TestHost.HOST);
        instances.add(opened.names());
        return opened;
    }

    @AfterEach
    void scrub() throws Exception {
        if (listeners != null) {
            listeners.close();
        }
        for (AutoCloseable extra : extras.reversed()) {
            extra.close();
        }
        for (HostNames names : instances.stream().distinct().toList()) {
            scrub(names);
        }
    }

    static void scrub(HostNames names) {
        var ip = new Ip(TestHost.HOST);
        ip.namespaces().stream().filter(n -> n.startsWith(names.netnsPrefix())).forEach(n -> TestHost.run("ip", "netns", "del", n));
        ip.links().stream().filter(l -> names.alias().equals(l.alias())).forEach(l -> TestHost.run("ip", "link", "del", l.name()));
        var forward = new ForwardAccept(TestHost.HOST, names.alias());
        forward.bridges().forEach(forward::remove);
        TestHost.run("nft", "delete", "table", "inet", names.table());
    }

    String net(String name) {
        return prefix + name;
    }

    Attachment attach(String workload, List<String> networks, PortMapping... ports) {
        return fabric.attach(new AttachRequest(prefix + workload, workload, networks, List.of(workload + "-alias"), List.of(ports)));
    }

    String netns(Attachment attachment) {
        return attachment.netns().getFileName().toString();
    }

    OutsideNetns outside() {
        var outside = OutsideNetns.create();
        extras.add(outside);
        return outside;
    }
}
