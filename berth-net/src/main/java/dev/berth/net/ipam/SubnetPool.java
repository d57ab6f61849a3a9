package dev.berth.net.ipam;

import java.util.Collection;
import java.util.Optional;

/**
 * Carves equal subnets out of a private pool, skipping every one that overlaps a prefix already
 * in use (other Berth networks, or any route or address of the host: docker's 172.17/16,
 * podman's 10.88/16, a VPN, the uplink).
 */
public record SubnetPool(Ipv4Cidr pool, int subnetPrefix) {
    /** 10.213.0.0/16 in /24s: far from docker's and podman's defaults, 256 networks of 253 workloads. */
    public static final SubnetPool DEFAULT = new SubnetPool(Ipv4Cidr.parse("10.213.0.0/16"), 24);

    public SubnetPool {
        if (subnetPrefix < pool.prefixLength() || subnetPrefix > 30) {
            throw new IllegalArgumentException("subnets /" + subnetPrefix + " do not fit pool " + pool);
        }
    }

    /** The first subnet that overlaps nothing in {@code taken}. */
    public Optional<Ipv4Cidr> next(Collection<Ipv4Cidr> taken) {
        long count = 1L << (subnetPrefix - pool.prefixLength());
        long step = 1L << (32 - subnetPrefix);
        for (long i = 0; i < count; i++) {
            var candidate = new Ipv4Cidr((int) (pool.network() + i * step), subnetPrefix);
            if (taken.stream().noneMatch(candidate::overlaps)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
