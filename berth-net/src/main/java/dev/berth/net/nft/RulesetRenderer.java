package dev.berth.net.nft;

import dev.berth.net.NetworkFabric.BridgeNetwork;
import dev.berth.net.NetworkFabric.PortMapping;
import dev.berth.net.state.WorkloadRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Renders one instance's whole nftables table from its state, as a script that replaces the
 * table in one transaction ({@code nft -f}): declare, delete, redefine. With no networks the
 * table is just deleted. Only Berth's names, addresses and numbers reach the text.
 *
 * <p>The table's shape, per bridge {@code B} with subnet {@code S}:
 * <ul>
 * <li>forward: established/related pass; {@code B→B} passes (br_netfilter sends bridged traffic
 * here); internal {@code B} rejects everything else it sends and receives; a non-internal
 * {@code B} receives only DNATed (published) connections, and may send anywhere.</li>
 * <li>input: new connections to 127/8 arriving from any bridge are dropped ({@code route_localnet}
 * would let them reach host loopback services); an internal {@code B} reaches none of the host's addresses
 * except for replies.</li>
 * <li>prerouting/output: published ports DNAT to the workload's first address; the output chain
 * covers connections made on the host itself, 127.0.0.1 included.</li>
 * <li>postrouting: {@code S} is masqueraded leaving by any other interface when not internal;
 * 127/8 sources entering {@code B} (published ports used via 127.0.0.1) and hairpinned DNAT
 * traffic are masqueraded to the gateway.</li>
 * </ul>
 */
public final class RulesetRenderer {
    private RulesetRenderer() {
    }

    public static String render(String table, Collection<BridgeNetwork> networks, Collection<WorkloadRecord> workloads) {
        var out = new StringBuilder();
        out.append("table inet ").append(table).append("\n");
        out.append("delete table inet ").append(table).append("\n");
        if (networks.isEmpty()) {
            return out.toString();
        }
        out.append("table inet ").append(table).append(" {\n");
        chain(out, "forward", "type filter hook forward priority filter - 5; policy accept;", forward(networks));
        chain(out, "input", "type filter hook input priority filter - 5; policy accept;", input(networks));
        var dnat = dnat(workloads);
        chain(out, "prerouting", "type nat hook prerouting priority dstnat; policy accept;", dnat);
        chain(out, "output", "type nat hook output priority -100; policy accept;", dnat);
        chain(out, "postrouting", "type nat hook postrouting priority srcnat; policy accept;", postrouting(networks));
        out.append("}\n");
        return out.toString();
    }

    private static List<String> forward(Collection<BridgeNetwork> networks) {
        var rules = new ArrayList<String>();
        rules.add("ct state established,related accept");
        for (var n : networks) {
            rules.add(quoted("iifname", n) + " " + quoted("oifname", n) + " accept");
        }
        for (var n : networks) {
            if (n.internal()) {
                rules.add(quoted("iifname", n) + " reject with icmpx admin-prohibited");
                rules.add(quoted("oifname", n) + " reject with icmpx admin-prohibited");
            } else {
                rules.add(quoted("oifname", n) + " ct status dnat accept");
                rules.add(quoted("oifname", n) + " reject with icmpx admin-prohibited");
            }
        }
        for (var n : networks) {
            if (!n.internal()) {
                rules.add(quoted("iifname", n) + " accept");
            }
        }
        return rules;
    }

    private static List<String> input(Collection<BridgeNetwork> networks) {
        var rules = new ArrayList<String>();
        for (var n : networks) {
            // Replies to published-port connections made from 127.0.0.1 arrive here un-NATed to 127/8.
            rules.add(quoted("iifname", n) + " ip daddr 127.0.0.0/8 ct state != { established, related } drop");
            if (n.internal()) {
                rules.add(quoted("iifname", n) + " ct state established,related accept");
                rules.add(quoted("iifname", n) + " reject with icmpx admin-prohibited");
            }
        }
        return rules;
    }

    private static List<String> dnat(Collection<WorkloadRecord> workloads) {
        var rules = new ArrayList<String>();
        for (var w : workloads) {
            if (w.endpoints().isEmpty()) {
                continue;
            }
            String target = w.endpoints().getFirst().ip();
            for (PortMapping p : w.ports()) {
                String match = p.hostIp() == null ? "meta nfproto ipv4 fib daddr type local" : "ip daddr " + p.hostIp();
                rules.add(match + " " + p.protocol() + " dport " + p.hostPort() + " dnat ip to " + target + ":" + p.containerPort());
            }
        }
        return rules;
    }

    private static List<String> postrouting(Collection<BridgeNetwork> networks) {
        var rules = new ArrayList<String>();
        for (var n : networks) {
            rules.add(quoted("oifname", n) + " ip saddr 127.0.0.0/8 masquerade");
            rules.add(quoted("oifname", n) + " ip saddr " + n.subnet() + " ct status dnat masquerade");
            if (!n.internal()) {
                rules.add("oifname != \"" + n.bridge() + "\" ip saddr " + n.subnet() + " masquerade");
            }
        }
        return rules;
    }

    private static String quoted(String keyword, BridgeNetwork network) {
        return keyword + " \"" + network.bridge() + "\"";
    }

    private static void chain(StringBuilder out, String name, String hook, List<String> rules) {
        out.append("\tchain ").append(name).append(" {\n\t\t").append(hook).append("\n");
        rules.forEach(rule -> out.append("\t\t").append(rule).append("\n"));
        out.append("\t}\n");
    }
}
