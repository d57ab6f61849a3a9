package dev.berth.net.ipam;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;

/** An IPv4 prefix; {@code network} holds the address bits with the host part zeroed. */
public record Ipv4Cidr(int network, int prefixLength) {
    public Ipv4Cidr {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is not 0-32");
        }
        network &= mask(prefixLength);
    }

    /** Parses {@code a.b.c.d/n}, or a bare address as a /32. */
    public static Ipv4Cidr parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        int prefix;
        try {
            prefix = slash < 0 ? 32 : Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw invalid(text);
        }
        if (prefix < 0 || prefix > 32) {
            throw invalid(text);
        }
        return new Ipv4Cidr(address(address), prefix);
    }

    /** The 32 bits of a dotted-quad address; anything else (names, IPv6, leading signs) is rejected. */
    public static int address(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw invalid(text);
        }
        int value = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
                throw invalid(text);
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                throw invalid(text);
            }
            value = value << 8 | octet;
        }
        return value;
    }

    public static String format(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 0xff) + "." + (address >>> 8 & 0xff) + "." + (address & 0xff);
    }

    public boolean contains(int address) {
        return (address & mask(prefixLength)) == network;
    }

    public boolean overlaps(Ipv4Cidr other) {
        int shorter = Math.min(prefixLength, other.prefixLength);
        return (network & mask(shorter)) == (other.network & mask(shorter));
    }

    /** The address {@code offset} hosts into this prefix (1 = the first usable one). */
    public int host(int offset) {
        if (offset < 0 || offset >= size()) {
            throw new IllegalArgumentException("offset " + offset + " is outside " + this);
        }
        return network + offset;
    }

    public long size() {
        return 1L << (32 - prefixLength);
    }

    @Override
    public String toString() {
        return format(network) + "/" + prefixLength;
    }

    private static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    private static BerthException invalid(String text) {
        return new BerthException(ErrorCode.INVALID_ARGUMENT, "'" + text + "' is not an IPv4 address or CIDR");
    }
}
