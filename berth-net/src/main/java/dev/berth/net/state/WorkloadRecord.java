package dev.berth.net.state;

import dev.berth.net.NetworkFabric.Attachment;
import dev.berth.net.NetworkFabric.PortMapping;
import java.nio.file.Path;
import java.util.List;

/**
 * A workload's plumbing as recorded before it is built. {@code ready} turns true only once the
 * netns, veths and addresses exist; a record left unready is a crash mid-attach, which the next
 * attach or release tears down.
 */
public record WorkloadRecord(String workloadId, String netns, String hostname, List<String> aliases,
                             List<EndpointRecord> endpoints, List<PortMapping> ports, boolean ready) {
    public static final Path NETNS_DIR = Path.of("/run/netns");

    public WorkloadRecord {
        aliases = List.copyOf(aliases);
        endpoints = List.copyOf(endpoints);
        ports = List.copyOf(ports);
    }

    public WorkloadRecord asReady() {
        return new WorkloadRecord(workloadId, netns, hostname, aliases, endpoints, ports, true);
    }

    public boolean joins(String network) {
        return endpoints.stream().anyMatch(e -> e.network().equals(network));
    }

    public List<String> networks() {
        return endpoints.stream().map(EndpointRecord::network).toList();
    }

    public Attachment attachment() {
        return new Attachment(workloadId, NETNS_DIR.resolve(netns),
                endpoints.stream().map(EndpointRecord::endpoint).toList(), ports);
    }
}
