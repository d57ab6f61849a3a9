package dev.berth.net.link;

import dev.berth.net.HostCommands;
import dev.berth.net.HostCommands.Result;
import dev.berth.net.NetworkFabric.BridgeNetwork;
import dev.berth.net.ipam.Ipv4Cidr;
import java.util.ArrayList;
import java.util.List;

/**
 * A network's Linux bridge: created with its gateway address, brought up, and tuned so published
 * ports work from 127.0.0.1 ({@code route_localnet}, whose risk the firewall closes by dropping
 * 127/8 arriving from bridges) and without IPv6, which Berth does not address.
 */
public final class Bridges {
    private final Ip ip;
    private final HostCommands host;
    private final HostNames names;

    public Bridges(Ip ip, HostCommands host, HostNames names) {
        this.ip = ip;
        this.host = host;
        this.names = names;
    }

    /** Creates what is missing; safe to repeat (a crash mid-creation, a host reboot). */
    public void ensure(BridgeNetwork network) {
        var subnet = Ipv4Cidr.parse(network.subnet());
        var lines = new ArrayList<String>();
        if (!ip.linkExists(network.bridge())) {
            lines.add("link add name " + network.bridge() + " type bridge");
            lines.add("link set dev " + network.bridge() + " alias " + names.alias());
        }
        lines.add("addr replace " + network.gateway() + "/" + subnet.prefixLength() + " dev " + network.bridge());
        lines.add("link set dev " + network.bridge() + " up");
        ip.batch("set up bridge " + network.bridge() + " for network '" + network.name() + "'", null, lines);
        sysctl(network.bridge(), List.of(
                "net.ipv4.conf." + network.bridge() + ".route_localnet=1",
                "net.ipv6.conf." + network.bridge() + ".disable_ipv6=1",
                "net.ipv4.ip_forward=1"));
    }

    public void remove(String bridge) {
        ip.teardown("remove bridge " + bridge, List.of("link del dev " + bridge));
    }

    private void sysctl(String bridge, List<String> settings) {
        var argv = new ArrayList<>(List.of("sysctl", "-q", "-w"));
        argv.addAll(settings);
        Result result = host.run(argv);
        if (!result.ok()) {
            throw Ip.failure("set sysctls for bridge " + bridge, result);
        }
    }
}
