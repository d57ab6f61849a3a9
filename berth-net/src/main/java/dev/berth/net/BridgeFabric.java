package dev.berth.net;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.net.ipam.AddressPool;
import dev.berth.net.ipam.Ipv4Cidr;
import dev.berth.net.ipam.SubnetPool;
import dev.berth.net.iptables.ForwardAccept;
import dev.berth.net.link.Bridges;
import dev.berth.net.link.HostNames;
import dev.berth.net.link.Ip;
import dev.berth.net.link.Sandboxes;
import dev.berth.net.nft.Firewall;
import dev.berth.net.nft.Nftables;
import dev.berth.net.ports.HostPorts;
import dev.berth.net.state.EndpointRecord;
import dev.berth.net.state.FabricState;
import dev.berth.net.state.InstanceId;
import dev.berth.net.state.StateFile;
import dev.berth.net.state.WorkloadRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * {@link NetworkFabric} on Linux bridges, network namespaces, veth pairs and one nftables table
 * per data dir. Every change is recorded in {@code state.json} under the data dir's lock before
 * the host is touched, and the firewall is re-rendered from the whole state each time, so it
 * can never hold a rule that no record explains.
 */
public final class BridgeFabric implements NetworkFabric {
    private final StateFile state;
    private final HostNames names;
    private final Ip ip;
    private final Bridges bridges;
    private final Sandboxes sandboxes;
    private final Firewall firewall;
    private final ForwardAccept forward;
    private final AttachPlanner planner;

    private BridgeFabric(StateFile state, HostNames names, HostCommands host) {
        this.state = state;
        this.names = names;
        this.ip = new Ip(host);
        this.bridges = new Bridges(ip, host, names);
        this.sandboxes = new Sandboxes(ip, names);
        this.firewall = new Firewall(new Nftables(host), names.table());
        this.forward = new ForwardAccept(host, names.alias());
        this.planner = new AttachPlanner(names, new HostPorts(host, RandomGenerator.getDefault()));
    }

    /** Opens (creating if needed) the fabric whose records live in {@code stateDir}. */
    public static BridgeFabric open(Path stateDir, HostCommands host) {
        try {
            Files.createDirectories(stateDir);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot create network state dir " + stateDir + ": " + e.getMessage(), e);
        }
        var state = new StateFile(stateDir);
        String instance = state.locked(s -> InstanceId.loadOrCreate(stateDir));
        return new BridgeFabric(state, new HostNames(instance), host);
    }

    /** The names this fabric gives host objects (its nftables table, prefixes, link alias). */
    public HostNames names() {
        return names;
    }

    @Override
    public BridgeNetwork ensureNetwork(String name, boolean internal, String ownerId) {
        requireText("network name", name);
        return state.locked(file -> {
            FabricState current = file.read();
            BridgeNetwork network = current.networks().get(name);
            if (network == null) {
                network = allocate(current, name, internal, ownerId);
            } else {
                network = reconcile(network, internal, ownerId);
            }
            current = firewall.intend(current.withNetwork(network), current.withNetwork(network));
            file.write(current);
            bridges.ensure(network);
            forward.ensure(List.of(network.bridge()));
            file.write(firewall.sync(current));
            return network;
        });
    }

    @Override
    public boolean removeNetwork(String name) {
        verified.clear();
        return state.locked(file -> {
            FabricState current = file.read();
            BridgeNetwork network = current.networks().get(name);
            if (network == null) {
                return false;
            }
            var users = current.workloads().values().stream().filter(w -> w.joins(name)).map(WorkloadRecord::workloadId).toList();
            if (!users.isEmpty()) {
                throw new BerthException(ErrorCode.CONFLICT, "network '" + name + "' is in use by " + users.size()
                        + " workload(s): " + String.join(", ", users));
            }
            FabricState without = current.withoutNetwork(name);
            file.write(firewall.intend(current, without));
            without = firewall.sync(without);
            forward.remove(network.bridge());
            bridges.remove(network.bridge());
            file.write(without);
            return true;
        });
    }

    @Override
    public List<BridgeNetwork> networks() {
        return List.copyOf(state.read().networks().values());
    }

    @Override
    public Optional<BridgeNetwork> network(String name) {
        return Optional.ofNullable(state.read().networks().get(name));
    }

    @Override
    public Attachment attach(AttachRequest request) {
        List<String> wanted = wantedNetworks(request);
        return state.locked(file -> {
            FabricState current = file.read();
            WorkloadRecord existing = current.workloads().get(request.workloadId());
            boolean matches = existing != null && existing.networks().equals(wanted) && ip.namespaces().contains(existing.netns());
            if (matches && existing.ready()) {
                return existing.attachment();
            }
            // A reservation (or a crash in the middle of completing one) is completed in place: a
            // container may already be in its netns, and its /etc/hosts names its addresses.
            WorkloadRecord record = matches ? existing : null;
            var networks = new ArrayList<BridgeNetwork>();
            if (record == null) {
                current = plan(file, current, request, wanted, networks);
                record = current.workloads().get(request.workloadId());
            } else {
                for (String name : record.networks()) {
                    networks.add(current.networks().get(name));
                }
            }
            FabricState planned = current;
            try {
                current = build(current, record, networks, matches);
            } catch (RuntimeException e) {
                undo(file, planned, record, e);
                throw e;
            }
            file.write(current.withWorkload(record.asReady()));
            return record.attachment();
        });
    }

    @Override
    public Attachment reserve(AttachRequest request) {
        List<String> wanted = wantedNetworks(request);
        return state.locked(file -> {
            FabricState current = file.read();
            WorkloadRecord existing = current.workloads().get(request.workloadId());
            if (existing != null && existing.networks().equals(wanted) && ip.namespaces().contains(existing.netns())) {
                return existing.attachment();
            }
            current = plan(file, current, request, wanted, new ArrayList<>());
            WorkloadRecord record = current.workloads().get(request.workloadId());
            try {
                sandboxes.reserve(record);
            } catch (RuntimeException e) {
                undo(file, current, record, e);
                throw e;
            }
            return record.attachment();
        });
    }

    private static List<String> wantedNetworks(AttachRequest request) {
        requireText("workload id", request.workloadId());
        List<String> wanted = request.networks().isEmpty() ? List.of(DEFAULT_NETWORK) : request.networks();
        if (new HashSet<>(wanted).size() != wanted.size()) {
            throw BerthException.invalidField("networks", String.join(",", wanted), "each network at most once");
        }
        return wanted;
    }

    /**
     * Tears down what an earlier, different record of the workload left, then records a new plan
     * (addresses, ports, the default network if it is new) before anything is built; fills
     * {@code networks} with the networks joined and returns the state written.
     */
    private FabricState plan(StateFile file, FabricState current, AttachRequest request, List<String> wanted,
                             List<BridgeNetwork> networks) {
        WorkloadRecord existing = current.workloads().get(request.workloadId());
        if (existing != null) {
            sandboxes.teardown(existing.netns(), hostVeths(existing));
            current = current.withoutWorkload(existing.workloadId());
        }
        for (String name : wanted) {
            BridgeNetwork network = current.networks().get(name);
            if (network == null && name.equals(DEFAULT_NETWORK)) {
                network = allocate(current, name, false, null);
                current = current.withNetwork(network);
            } else if (network == null) {
                throw new BerthException(ErrorCode.NOT_FOUND, "network '" + name + "' not found; create it first", "networks", null);
            }
            networks.add(network);
        }
        WorkloadRecord record = planner.plan(current, request, networks);
        current = firewall.intend(current.withWorkload(record), current.withWorkload(record));
        file.write(current);
        return current;
    }

    @Override
    public Optional<Attachment> attachment(String workloadId) {
        return Optional.ofNullable(state.read().workloads().get(workloadId)).filter(WorkloadRecord::ready)
                .map(WorkloadRecord::attachment);
    }

    @Override
    public void release(String workloadId) {
        requireText("workload id", workloadId);
        state.locked(file -> {
            FabricState current = file.read();
            WorkloadRecord record = current.workloads().get(workloadId);
            if (record == null) {
                // No record: a crash before it was written, or already released. The netns name is
                // derived from the id, and deleting the netns takes the veth peers inside with it.
                sandboxes.teardown(names.netns(workloadId), List.of());
                return null;
            }
            FabricState without = current.withoutWorkload(workloadId);
            FabricState recorded = firewall.intend(current, without);
            if (recorded != current) {
                file.write(recorded);
            }
            without = firewall.sync(without);
            sandboxes.teardown(record.netns(), hostVeths(record));
            file.write(without);
            return null;
        });
    }

    @Override
    public List<Peer> peers(String network) {
        var peers = new ArrayList<Peer>();
        for (WorkloadRecord w : state.read().workloads().values()) {
            if (!w.ready()) {
                continue;
            }
            w.endpoints().stream().filter(e -> e.network().equals(network)).findFirst()
                    .ifPresent(e -> peers.add(new Peer(w.workloadId(), w.hostname(), w.aliases(), e.ip())));
        }
        return peers;
    }

    @Override
    public List<String> orphans() {
        FabricState current = state.read();
        Set<String> links = new HashSet<>();
        current.networks().values().forEach(n -> links.add(n.bridge()));
        current.workloads().values().forEach(w -> links.addAll(hostVeths(w)));
        Set<String> namespaces = new HashSet<>();
        current.workloads().values().forEach(w -> namespaces.add(w.netns()));

        var orphans = new ArrayList<String>();
        ip.namespaces().stream().filter(n -> n.startsWith(names.netnsPrefix()) && !namespaces.contains(n))
                .forEach(n -> orphans.add("netns " + n));
        ip.links().stream().filter(l -> HostNames.isBerthLink(l.name()) && names.alias().equals(l.alias()))
                .filter(l -> !links.contains(l.name())).forEach(l -> orphans.add("link " + l.name()));
        forward.bridges().stream().filter(b -> !links.contains(b)).forEach(b -> orphans.add("iptables FORWARD rule for " + b));
        return orphans;
    }

    @Override
    public void close() {
        // Nothing is held between calls: each change opens and releases the state lock.
    }

    private BridgeNetwork allocate(FabricState current, String name, boolean internal, String ownerId) {
        String bridge = names.bridge(name);
        current.networks().values().stream().filter(n -> n.bridge().equals(bridge)).findFirst().ifPresent(n -> {
            throw new BerthException(ErrorCode.CONFLICT, "network '" + name + "' hashes to bridge " + bridge
                    + ", already used by network '" + n.name() + "'; choose another name");
        });
        var taken = new ArrayList<>(ip.hostPrefixes());
        current.networks().values().forEach(n -> taken.add(Ipv4Cidr.parse(n.subnet())));
        Ipv4Cidr subnet = SubnetPool.DEFAULT.next(taken).orElseThrow(() -> new BerthException(ErrorCode.CONFLICT,
                "no free subnet for network '" + name + "': every /24 of " + SubnetPool.DEFAULT.pool()
                        + " overlaps a Berth network or a host route"));
        return new BridgeNetwork(name, bridge, subnet.toString(), Ipv4Cidr.format(AddressPool.gateway(subnet)), internal, ownerId);
    }

    private static BridgeNetwork reconcile(BridgeNetwork network, boolean internal, String ownerId) {
        if (network.internal() != internal) {
            throw new BerthException(ErrorCode.CONFLICT, "network '" + network.name() + "' exists with internal="
                    + network.internal() + ", not " + internal);
        }
        if (network.ownerId() != null && ownerId != null && !network.ownerId().equals(ownerId)) {
            throw new BerthException(ErrorCode.CONFLICT, "network '" + network.name() + "' belongs to owner "
                    + network.ownerId() + ", not " + ownerId);
        }
        String owner = Objects.requireNonNullElse(network.ownerId(), ownerId);
        return new BridgeNetwork(network.name(), network.bridge(), network.subnet(), network.gateway(), internal, owner);
    }

    /** Bridges (after a reboot), iptables coexistence, firewall, then the netns; returns the synced state. */
    /**
     * Makes the workload's networks and rules real, then its sandbox. The host-side checks (bridge
     * present, Docker-coexistence FORWARD rules, our nft table present: three processes, ~25 ms)
     * are skipped for a network this instance verified within {@link #REVERIFY}; they catch
     * changes made outside Berth (a flushed ruleset, a restarted Docker), which a bounded delay
     * still catches.
     */
    private FabricState build(FabricState current, WorkloadRecord record, List<BridgeNetwork> networks, boolean reserved) {
        return build(current, record, networks, reserved, false);
    }

    /**
     * {@code reserved}: the netns exists (a reservation), only the veths are plugged in; a failure
     * then (veths a crashed attempt left) is retried once after unplugging, keeping the netns.
     */
    private FabricState build(FabricState current, WorkloadRecord record, List<BridgeNetwork> networks, boolean reserved,
                              boolean retry) {
        var byName = new HashMap<String, BridgeNetwork>();
        var unverified = new ArrayList<BridgeNetwork>();
        for (BridgeNetwork network : networks) {
            byName.put(network.name(), network);
            if (!recentlyVerified(network.bridge())) {
                unverified.add(network);
            }
        }
        for (BridgeNetwork network : unverified) {
            if (!ip.linkExists(network.bridge())) {
                bridges.ensure(network);
            }
        }
        if (!unverified.isEmpty()) {
            forward.ensure(unverified.stream().map(BridgeNetwork::bridge).toList());
        }
        FabricState synced = firewall.sync(current, unverified.isEmpty());
        try {
            sandboxes.build(record, byName, reserved);
        } catch (RuntimeException e) {
            if (retry || (unverified.size() == networks.size() && !reserved)) {
                throw e;
            }
            // Something changed behind our back (a bridge deleted, a host reboot) or a crashed
            // attempt left veths: check everything and build again.
            verified.clear();
            if (reserved) {
                sandboxes.unplug(hostVeths(record));
            } else {
                sandboxes.teardown(record.netns(), hostVeths(record));
            }
            return build(current, record, networks, reserved, true);
        }
        long now = System.nanoTime();
        unverified.forEach(n -> verified.put(n.bridge(), now));
        return synced;
    }

    private boolean recentlyVerified(String bridge) {
        Long at = verified.get(bridge);
        return at != null && System.nanoTime() - at < REVERIFY.toNanos();
    }

    /** After a failed attach: remove what was built, so the caller sees the failure and nothing else. */
    private void undo(StateFile file, FabricState current, WorkloadRecord record, RuntimeException failure) {
        verified.clear();
        try {
            sandboxes.teardown(record.netns(), hostVeths(record));
            file.write(firewall.sync(current.withoutWorkload(record.workloadId())));
        } catch (RuntimeException cleanup) {
            failure.addSuppressed(cleanup);
        }
    }

    private static List<String> hostVeths(WorkloadRecord record) {
        return record.endpoints().stream().map(EndpointRecord::hostVeth).toList();
    }

    /** How long a verified bridge and its rules are trusted without looking (see {@link #build}). */
    static final java.time.Duration REVERIFY = java.time.Duration.ofSeconds(30);
    private final java.util.Map<String, Long> verified = new java.util.concurrent.ConcurrentHashMap<>();

    private static void requireText(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, what + " must not be blank");
        }
    }
}
