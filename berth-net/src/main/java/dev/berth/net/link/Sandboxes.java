package dev.berth.net.link;

import dev.berth.net.NetworkFabric.BridgeNetwork;
import dev.berth.net.state.EndpointRecord;
import dev.berth.net.state.WorkloadRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A workload's network namespace and its veth pairs, built in two {@code ip} batches: one on the
 * host (netns, veths created with their peer already inside the netns, host ends on the bridges)
 * and one inside the netns (lo, addresses, default route). Teardown deletes host veths first,
 * which removes both ends at once, then the netns, so nothing waits on the kernel's asynchronous
 * namespace cleanup. A netns can be created first on its own ({@link #reserve}), so that a runtime
 * creates the container in it while the veths are plugged in.
 */
public final class Sandboxes {
    private final Ip ip;
    private final HostNames names;

    public Sandboxes(Ip ip, HostNames names) {
        this.ip = ip;
        this.names = names;
    }

    /** An empty network namespace for {@code workload}, which {@link #build} with {@code reserved} then fills. */
    public void reserve(WorkloadRecord workload) {
        ip.batch("create netns for workload '" + workload.workloadId() + "'", null, List.of("netns add " + workload.netns()));
    }

    /** Builds the netns (unless {@code reserved}: it exists already) and plugs the workload's veths into it. */
    public void build(WorkloadRecord workload, Map<String, BridgeNetwork> networks, boolean reserved) {
        var onHost = new ArrayList<String>();
        if (!reserved) {
            onHost.add("netns add " + workload.netns());
        }
        var inside = new ArrayList<String>();
        inside.add("link set dev lo up");
        for (EndpointRecord e : workload.endpoints()) {
            String veth = e.hostVeth();
            onHost.add("link add name " + veth + " type veth peer name " + e.ifname() + " address " + e.mac()
                    + " netns " + workload.netns());
            onHost.add("link set dev " + veth + " alias " + names.alias());
            onHost.add("link set dev " + veth + " master " + networks.get(e.network()).bridge());
            // Hairpin lets a workload reach itself through its own published port.
            onHost.add("link set dev " + veth + " type bridge_slave hairpin on");
            onHost.add("link set dev " + veth + " up");
            inside.add("addr add " + e.ip() + "/" + e.prefixLength() + " dev " + e.ifname());
            inside.add("link set dev " + e.ifname() + " up");
        }
        workload.endpoints().stream().filter(e -> !networks.get(e.network()).internal()).findFirst()
                .ifPresent(e -> inside.add("route add default via " + e.gateway() + " dev " + e.ifname()));
        String what = "workload '" + workload.workloadId() + "'";
        ip.batch("create netns and veths for " + what, null, onHost);
        ip.batch("configure addresses in netns " + workload.netns() + " for " + what, workload.netns(), inside);
    }

    /** Removes the host ends of the veths (and so their peers), keeping the netns a container may be in. */
    public void unplug(List<String> hostVeths) {
        var lines = new ArrayList<String>();
        hostVeths.forEach(veth -> lines.add("link del dev " + veth));
        ip.teardown("remove veths " + String.join(", ", hostVeths), lines);
    }

    /** Removes whatever part exists; {@code hostVeths} may be empty when no record says which exist. */
    public void teardown(String netns, List<String> hostVeths) {
        var lines = new ArrayList<String>();
        hostVeths.forEach(veth -> lines.add("link del dev " + veth));
        lines.add("netns del " + netns);
        ip.teardown("remove netns " + netns, lines);
    }
}
