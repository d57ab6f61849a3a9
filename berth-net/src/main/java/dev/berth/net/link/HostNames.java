package dev.berth.net.link;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Every name Berth gives a host object, derived from the data dir's instance id so two data dirs
 * on one host never share a name, and hashed so user text never reaches a command line. Links
 * fit Linux's 15-character limit: bridges {@code brth-} + 10 hex, host veths {@code vbr} + 12 hex;
 * namespaces are {@code berth-<instance>-} + 12 hex. Links also carry the ifalias {@link #alias()}.
 */
public record HostNames(String instance) {
    public static final String BRIDGE_PREFIX = "brth-";
    public static final String VETH_PREFIX = "vbr";
    public static final String NETNS_PREFIX = "berth-";

    public HostNames {
        if (!instance.matches("[0-9a-f]{8}")) {
            throw new IllegalArgumentException("instance id must be 8 hex digits: " + instance);
        }
    }

    public String bridge(String network) {
        return BRIDGE_PREFIX + hash("network", network).substring(0, 10);
    }

    public String hostVeth(String workloadId, String network) {
        return VETH_PREFIX + hash("veth", workloadId + "\0" + network).substring(0, 12);
    }

    public String netns(String workloadId) {
        return netnsPrefix() + hash("netns", workloadId).substring(0, 12);
    }

    public String netnsPrefix() {
        return NETNS_PREFIX + instance + "-";
    }

    /** The nftables table (family inet) holding all of this instance's rules. */
    public String table() {
        return "berth-" + instance;
    }

    /** Set on every link and used as the iptables rule comment: whose object this is. */
    public String alias() {
        return "berth:" + instance;
    }

    public static boolean isBerthLink(String name) {
        return name.startsWith(BRIDGE_PREFIX) || name.startsWith(VETH_PREFIX);
    }

    private String hash(String kind, String value) {
        try {
            var digest = MessageDigest.getInstance("SHA-256");
            digest.update((instance + "\0" + kind + "\0" + value).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
