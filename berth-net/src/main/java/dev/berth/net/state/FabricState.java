package dev.berth.net.state;

import dev.berth.net.NetworkFabric.BridgeNetwork;
import java.util.Map;
import java.util.TreeMap;

/** Everything one data dir's fabric owns: networks by name and workloads by id. Immutable. */
public record FabricState(Map<String, BridgeNetwork> networks, Map<String, WorkloadRecord> workloads) {
    public static final FabricState EMPTY = new FabricState(Map.of(), Map.of());

    public FabricState {
        networks = sorted(networks);
        workloads = sorted(workloads);
    }

    public FabricState withNetwork(BridgeNetwork network) {
        var copy = new TreeMap<>(networks);
        copy.put(network.name(), network);
        return new FabricState(copy, workloads);
    }

    public FabricState withoutNetwork(String name) {
        var copy = new TreeMap<>(networks);
        copy.remove(name);
        return new FabricState(copy, workloads);
    }

    public FabricState withWorkload(WorkloadRecord workload) {
        var copy = new TreeMap<>(workloads);
        copy.put(workload.workloadId(), workload);
        return new FabricState(networks, copy);
    }

    public FabricState withoutWorkload(String workloadId) {
        var copy = new TreeMap<>(workloads);
        copy.remove(workloadId);
        return new FabricState(networks, copy);
    }

    private static <V> Map<String, V> sorted(Map<String, V> map) {
        return map == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(map));
    }
}
