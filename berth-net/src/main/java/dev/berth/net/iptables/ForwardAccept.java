package dev.berth.net.iptables;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.net.HostCommands;
import dev.berth.net.HostCommands.Result;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Coexistence with iptables users such as Docker, which sets the FORWARD policy to DROP and
 * loads br_netfilter (so even traffic between two ports of one bridge passes FORWARD). Every
 * base chain on a hook must accept a packet, so Berth's own nftables table cannot override that
 * drop: Berth inserts {@code -i B -j ACCEPT} and {@code -o B -j ACCEPT} for its bridges at the
 * top of FORWARD, marked with its comment, and leaves the filtering to its own table. Nothing
 * else in iptables is touched. A FORWARD chain nobody uses (policy ACCEPT, no rules) gets no
 * rules, so Berth does not create iptables' tables on a host without them; the check is
 * repeated on every attach, so a Docker started later is caught up with.
 */
public final class ForwardAccept {
    private static final Pattern RULE = Pattern.compile("^-A FORWARD -([io]) (\\S+) -m comment --comment \"?([^\" ]+)\"? -j ACCEPT$");

    private final HostCommands host;
    private final String comment;

    public ForwardAccept(HostCommands host, String comment) {
        this.host = host;
        this.comment = comment;
    }

    public void ensure(Collection<String> bridges) {
        List<String> rules = forwardRules();
        if (rules.isEmpty() || (rules.size() == 1 && rules.getFirst().equals("-P FORWARD ACCEPT"))) {
            return;
        }
        Set<String> present = ours(rules);
        for (String bridge : bridges) {
            for (String direction : List.of("-o", "-i")) {
                if (!present.contains(direction + " " + bridge)) {
                    run("accept forwarding for bridge " + bridge, "-I", "FORWARD", "1", direction, bridge,
                            "-m", "comment", "--comment", comment, "-j", "ACCEPT");
                }
            }
        }
    }

    public void remove(String bridge) {
        Set<String> present = ours(forwardRules());
        for (String direction : List.of("-i", "-o")) {
            if (present.contains(direction + " " + bridge)) {
                run("remove forwarding rule for bridge " + bridge, "-D", "FORWARD", direction, bridge,
                        "-m", "comment", "--comment", comment, "-j", "ACCEPT");
            }
        }
    }

    /** Bridges that have one of this instance's rules. */
    public Set<String> bridges() {
        var bridges = new LinkedHashSet<String>();
        ours(forwardRules()).forEach(rule -> bridges.add(rule.substring(3)));
        return bridges;
    }

    /** This instance's rules as "-i BRIDGE" / "-o BRIDGE" (iptables-nft quotes the comment, legacy may not). */
    private Set<String> ours(List<String> rules) {
        var ours = new LinkedHashSet<String>();
        for (String rule : rules) {
            var m = RULE.matcher(rule);
            if (m.matches() && m.group(3).equals(comment)) {
                ours.add("-" + m.group(1) + " " + m.group(2));
            }
        }
        return ours;
    }

    /** FORWARD as {@code iptables -S} prints it; empty when iptables is absent or has no filter table. */
    private List<String> forwardRules() {
        Result result;
        try {
            result = host.run(List.of("iptables", "-w", "5", "-S", "FORWARD"));
        } catch (BerthException e) {
            if (e.code() == ErrorCode.BACKEND_UNAVAILABLE) {
                return List.of();
            }
            throw e;
        }
        return result.ok() ? new ArrayList<>(result.stdout().lines().map(String::strip).toList()) : List.of();
    }

    private void run(String what, String... args) {
        var argv = new ArrayList<>(List.of("iptables", "-w", "5"));
        argv.addAll(List.of(args));
        Result result = host.run(argv);
        if (!result.ok()) {
            throw new BerthException(ErrorCode.BACKEND_ERROR, "cannot " + what + " in iptables FORWARD: " + result.stderr().strip());
        }
    }
}
