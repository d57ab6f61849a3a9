package dev.berth.oci.bundle;

import java.util.List;

/** The generated /etc/hosts and /etc/resolv.conf of a workload (its hostname file is just the name). */
public final class EtcFiles {
    private EtcFiles() {
    }

    /** One host entry: an address and the names it answers to. */
    public record HostEntry(String ip, List<String> names) {
        public HostEntry {
            names = List.copyOf(names);
        }
    }

    /** Loopback, the workload's own address and names, then its peers and the host alias. */
    public static String hosts(String hostname, String ownIp, List<HostEntry> others) {
        var out = new StringBuilder();
        out.append("127.0.0.1\tlocalhost\n");
        out.append("::1\tlocalhost ip6-localhost ip6-loopback\n");
        out.append(ownIp == null ? "127.0.1.1" : ownIp).append('\t').append(hostname).append('\n');
        for (HostEntry e : others) {
            out.append(e.ip()).append('\t').append(String.join(" ", e.names())).append('\n');
        }
        return out.toString();
    }

    /**
     * The host's resolv.conf without loopback name servers (a resolver on the host's 127.0.0.x is
     * not reachable from the workload's namespace); an internal network gets no servers at all.
     */
    public static String resolvConf(String hostResolvConf, boolean internal) {
        var out = new StringBuilder();
        for (String line : hostResolvConf.lines().toList()) {
            String t = line.strip();
            if (t.startsWith("nameserver")) {
                String server = t.substring("nameserver".length()).strip();
                if (internal || server.startsWith("127.") || server.equals("::1")) {
                    continue;
                }
            }
            if (t.startsWith("search") || t.startsWith("options") || t.startsWith("nameserver")) {
                out.append(t).append('\n');
            }
        }
        return out.toString();
    }
}
