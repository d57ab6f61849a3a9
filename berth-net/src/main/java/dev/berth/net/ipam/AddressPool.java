package dev.berth.net.ipam;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Host addresses inside one subnet: the first usable one is the bridge's gateway, workloads get
 * the lowest free one after it. Reusing a freed address right away is safe because the MAC is
 * derived from the address ({@link #macFor}), so no neighbour cache holds a stale entry.
 */
public final class AddressPool {
    private AddressPool() {
    }

    public static int gateway(Ipv4Cidr subnet) {
        return subnet.host(1);
    }

    public static Optional<Integer> allocate(Ipv4Cidr subnet, Collection<String> used) {
        Set<Integer> taken = used.stream().map(Ipv4Cidr::address).collect(Collectors.toSet());
        for (int offset = 2; offset < subnet.size() - 1; offset++) {
            int candidate = subnet.host(offset);
            if (!taken.contains(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** A locally administered unicast MAC that embeds the address: 02:b7:a.b.c.d in hex. */
    public static String macFor(int address) {
        return String.format("02:b7:%02x:%02x:%02x:%02x",
                address >>> 24, address >>> 16 & 0xff, address >>> 8 & 0xff, address & 0xff);
    }
}
