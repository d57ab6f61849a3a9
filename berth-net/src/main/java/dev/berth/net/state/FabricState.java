package dev.berth.net.state;

import dev.berth.net.NetworkFabric.BridgeNetwork;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything one data dir's fabric owns: networks by name, workloads by id, and the digest of the
 * nftables script last applied from this state (null when unknown). Immutable.
 */
public record FabricState(Map<String, BridgeNetwork> networks, Map<String, WorkloadRecord> workloads, String rulesetDigest) {
    public static final FabricState EMPTY = new FabricState(Map.of(), Map.of(), null);

    public FabricState {
        networks = sorted(networks);
        workloads = sorted(workloads);
    }

    public FabricState withNetwork(BridgeNetwork network) {
        var copy = new TreeMap<>(networks);
        copy.put(network.name(), network);
        return new FabricState(copy, workloads, rulesetDigest);
    }

    public FabricState withoutNetwork(String name) {
        var copy = new TreeMap<>(networks);
        copy.remove(name);
        return new FabricState(copy, workloads, rulesetDigest);
    }

    public FabricState withWorkload(WorkloadRecord workload) {
        var copy = new TreeMap<>(workloads);
        copy.put(workload.workloadId(), workload);
        return new FabricState(networks, copy, rulesetDigest);
    }

    public FabricState withoutWorkload(String workloadId) {
        var copy = new TreeMap<>(workloads);
        copy.remove(workloadId);
        return new FabricState(networks, copy, rulesetDigest);
    }

    public FabricState withRulesetDigest(String digest) {
        return new FabricState(networks, workloads, digest);
    }

    private static <V> Map<String, V> sorted(Map<String, V> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(map));
    }
}
