package dev.berth.net.state;

import dev.berth.net.NetworkFabric.Endpoint;

/** One veth pair: {@code hostVeth} on the network's bridge, {@code ifname} its peer in the netns. */
public record EndpointRecord(String network, String hostVeth, String ifname, String ip, int prefixLength,
                             String gateway, String mac) {
    public Endpoint endpoint() {
        return new Endpoint(network, ifname, ip, prefixLength, gateway, mac);
    }
}
