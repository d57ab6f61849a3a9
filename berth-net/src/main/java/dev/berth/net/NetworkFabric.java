package dev.berth.net;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Host networking for workloads that run under a plain OCI runtime: one Linux bridge per named
 * network with its own subnet (IPAM recorded on disk, released on remove), one network namespace
 * per workload joined to its networks by veth pairs, NAT for egress on non-internal networks and
 * none on internal ones, published ports as DNAT rules, and the peer list for {@code /etc/hosts}.
 *
 * <p>Every call is idempotent and safe to repeat after a crash: state is written before it is
 * acted on, and {@link #release} frees whatever part of a workload's plumbing exists. Everything
 * created on the host carries Berth's prefix so {@link #orphans} can find it.
 */
public interface NetworkFabric extends AutoCloseable {
    /** The network workloads join when their spec names none (non-internal, with NAT). */
    String DEFAULT_NETWORK = "berth";

    /** Creates the bridge and allocates its subnet if absent; an existing one with other settings is a conflict. */
    BridgeNetwork ensureNetwork(String name, boolean internal, String ownerId);

    /** Removes the bridge and frees its subnet; false when absent; a conflict while workloads are attached. */
    boolean removeNetwork(String name);

    List<BridgeNetwork> networks();

    Optional<BridgeNetwork> network(String name);

    /**
     * Creates (or finds) the workload's network namespace, joins it to each requested network with
     * an address, sets the default route through the first non-internal one, brings up lo, and
     * installs DNAT for the published ports (host port 0 = an ephemeral port chosen here).
     * After {@link #reserve} with the same request, it completes that reservation in place: same
     * namespace, same addresses and ports.
     */
    Attachment attach(AttachRequest request);

    /**
     * The first half of {@link #attach}: records the workload's addresses and ports and creates its
     * network namespace, empty. A runtime can then create the container in that namespace while
     * {@link #attach} plugs in the veths, addresses, routes and rules; the attachment returned here
     * is the one attach will return. Until attach completes, {@link #attachment} and {@link #peers}
     * do not show the workload; {@link #release} frees a reservation like an attachment.
     */
    Attachment reserve(AttachRequest request);

    /** The workload's current plumbing, if any. */
    Optional<Attachment> attachment(String workloadId);

    /** Removes DNAT rules, veths and the netns; releases the addresses. Idempotent. */
    void release(String workloadId);

    /** Name and address of every workload attached to {@code network}, for /etc/hosts. */
    List<Peer> peers(String network);

    /** Berth-prefixed netns, links and rules that no attachment or network record explains. */
    List<String> orphans();

    @Override
    void close();

    /** A bridge network: {@code subnet} in CIDR form, {@code gateway} the bridge's own address. */
    record BridgeNetwork(String name, String bridge, String subnet, String gateway, boolean internal, String ownerId) {
    }

    /** {@code hostPort} 0 asks for an ephemeral port; {@code protocol} is tcp or udp; {@code hostIp} null = all. */
    record PortMapping(String hostIp, int hostPort, int containerPort, String protocol) {
    }

    /**
     * {@code workloadId} is the key for everything (unique per workload generation); {@code networks}
     * empty means {@link #DEFAULT_NETWORK}; {@code hostname} and {@code aliases} become peers' host entries.
     */
    record AttachRequest(String workloadId, String hostname, List<String> networks, List<String> aliases,
                         List<PortMapping> ports) {
        public AttachRequest {
            networks = List.copyOf(networks);
            aliases = List.copyOf(aliases);
            ports = List.copyOf(ports);
        }
    }

    /** {@code netns} is the path a runtime's config.json names (e.g. /run/netns/berth-...). */
    record Attachment(String workloadId, Path netns, List<Endpoint> endpoints, List<PortMapping> ports) {
        public Attachment {
            endpoints = List.copyOf(endpoints);
            ports = List.copyOf(ports);
        }

        /** The first endpoint's address, or null. */
        public String primaryIp() {
            return endpoints.isEmpty() ? null : endpoints.getFirst().ip();
        }
    }

    /** One veth end inside the workload's netns. */
    record Endpoint(String network, String ifname, String ip, int prefixLength, String gateway, String mac) {
    }

    record Peer(String workloadId, String hostname, List<String> aliases, String ip) {
        public Peer {
            aliases = List.copyOf(aliases);
        }
    }
}
