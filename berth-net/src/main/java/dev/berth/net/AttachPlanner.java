package dev.berth.net;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.net.NetworkFabric.AttachRequest;
import dev.berth.net.NetworkFabric.BridgeNetwork;
import dev.berth.net.NetworkFabric.PortMapping;
import dev.berth.net.ipam.AddressPool;
import dev.berth.net.ipam.Ipv4Cidr;
import dev.berth.net.link.HostNames;
import dev.berth.net.ports.HostPorts;
import dev.berth.net.state.EndpointRecord;
import dev.berth.net.state.FabricState;
import dev.berth.net.state.WorkloadRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** Turns an attach request into a record: names, an address per network, validated and resolved ports. */
final class AttachPlanner {
    private final HostNames names;
    private final HostPorts hostPorts;

    AttachPlanner(HostNames names, HostPorts hostPorts) {
        this.names = names;
        this.hostPorts = hostPorts;
    }

    WorkloadRecord plan(FabricState state, AttachRequest request, List<BridgeNetwork> networks) {
        String id = request.workloadId();
        var endpoints = new ArrayList<EndpointRecord>();
        for (BridgeNetwork network : networks) {
            var subnet = Ipv4Cidr.parse(network.subnet());
            var used = state.workloads().values().stream().flatMap(w -> w.endpoints().stream())
                    .filter(e -> e.network().equals(network.name())).map(EndpointRecord::ip).toList();
            int address = AddressPool.allocate(subnet, used).orElseThrow(() -> new BerthException(ErrorCode.CONFLICT,
                    "network '" + network.name() + "' (" + subnet + ") has no free address left"));
            endpoints.add(new EndpointRecord(network.name(), names.hostVeth(id, network.name()), "eth" + endpoints.size(),
                    Ipv4Cidr.format(address), subnet.prefixLength(), network.gateway(), AddressPool.macFor(address)));
        }
        return new WorkloadRecord(id, names.netns(id), request.hostname(), request.aliases(), endpoints,
                ports(state, request.ports()), false);
    }

    private List<PortMapping> ports(FabricState state, List<PortMapping> requested) {
        var taken = new ArrayList<PortMapping>();
        state.workloads().values().forEach(w -> taken.addAll(w.ports()));
        var resolved = new ArrayList<PortMapping>();
        for (PortMapping port : requested) {
            var valid = validate(port);
            if (valid.hostPort() == 0) {
                valid = withEphemeralPort(valid, taken);
            } else {
                for (PortMapping other : taken) {
                    if (clash(valid, other)) {
                        throw new BerthException(ErrorCode.CONFLICT, "host port " + valid.protocol() + "/" + valid.hostPort()
                                + " is already published by another workload", "ports", null);
                    }
                }
            }
            taken.add(valid);
            resolved.add(valid);
        }
        return resolved;
    }

    private PortMapping withEphemeralPort(PortMapping port, List<PortMapping> taken) {
        var busy = new HashSet<Integer>();
        taken.stream().filter(t -> t.protocol().equals(port.protocol())).forEach(t -> busy.add(t.hostPort()));
        return new PortMapping(port.hostIp(), hostPorts.pick(port.protocol(), busy), port.containerPort(), port.protocol());
    }

    private static boolean clash(PortMapping a, PortMapping b) {
        return a.hostPort() == b.hostPort() && a.protocol().equals(b.protocol())
                && (a.hostIp() == null || b.hostIp() == null || a.hostIp().equals(b.hostIp()));
    }

    /** Normalises protocol and host IP (0.0.0.0 and blank mean all addresses); rejects what nft could not express. */
    static PortMapping validate(PortMapping port) {
        String protocol = port.protocol() == null ? "tcp" : port.protocol().toLowerCase(Locale.ROOT);
        if (!protocol.equals("tcp") && !protocol.equals("udp")) {
            throw BerthException.invalidField("ports[].protocol", port.protocol(), "allowed: tcp, udp");
        }
        if (port.containerPort() < 1 || port.containerPort() > 65535) {
            throw BerthException.invalidField("ports[].containerPort", port.containerPort(), "allowed: 1-65535");
        }
        if (port.hostPort() < 0 || port.hostPort() > 65535) {
            throw BerthException.invalidField("ports[].hostPort", port.hostPort(), "allowed: 0 (ephemeral) or 1-65535");
        }
        String hostIp = port.hostIp() == null || port.hostIp().isBlank() ? null : port.hostIp().strip();
        if (hostIp != null) {
            try {
                hostIp = Ipv4Cidr.format(Ipv4Cidr.address(hostIp));
            } catch (BerthException e) {
                throw BerthException.invalidField("ports[].hostIp", port.hostIp(), "an IPv4 address of this host");
            }
            if (Objects.equals(hostIp, "0.0.0.0")) {
                hostIp = null;
            }
        }
        return new PortMapping(hostIp, port.hostPort(), port.containerPort(), protocol);
    }
}
