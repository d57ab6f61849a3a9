package dev.berth.net;

import dev.berth.net.ipam.Ipv4Cidr;
import dev.berth.net.ipam.SubnetPool;
import dev.berth.net.link.Ip;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A stand-in for "the internet" that never leaves this machine: a netns joined to the host by a
 * veth with its own /30 ({@code hostAddress} on the host, {@code address} inside). It has no route
 * back to Berth's subnets, so a workload reaches it only through NAT.
 */
final class OutsideNetns implements AutoCloseable {
    final String netns;
    final String hostVeth;
    final String hostAddress;
    final String address;

    private OutsideNetns(String netns, String hostVeth, Ipv4Cidr subnet) {
        this.netns = netns;
        this.hostVeth = hostVeth;
        this.hostAddress = Ipv4Cidr.format(subnet.host(1));
        this.address = Ipv4Cidr.format(subnet.host(2));
    }

    static OutsideNetns create() {
        String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
        var pool = new SubnetPool(Ipv4Cidr.parse("10.250.0.0/16"), 30);
        Ipv4Cidr subnet = pool.next(new Ip(TestHost.HOST).hostPrefixes()).orElseThrow();
        var outside = new OutsideNetns("bt-outside-" + suffix, "bto" + suffix, subnet);
        TestHost.ok("ip", "netns", "add", outside.netns);
        TestHost.ok("ip", "link", "add", outside.hostVeth, "type", "veth", "peer", "name", "eth0", "netns", outside.netns);
        TestHost.ok("ip", "addr", "add", outside.hostAddress + "/30", "dev", outside.hostVeth);
        TestHost.ok("ip", "link", "set", outside.hostVeth, "up");
        TestHost.ok("ip", "-n", outside.netns, "addr", "add", outside.address + "/30", "dev", "eth0");
        TestHost.ok("ip", "-n", outside.netns, "link", "set", "eth0", "up");
        TestHost.ok("ip", "-n", outside.netns, "link", "set", "lo", "up");
        return outside;
    }

    String url(int port) {
        return "http://" + address + ":" + port + "/index.html";
    }

    @Override
    public void close() {
        TestHost.run("ip", "link", "del", hostVeth);
        TestHost.run("ip", "netns", "del", netns);
    }
}
