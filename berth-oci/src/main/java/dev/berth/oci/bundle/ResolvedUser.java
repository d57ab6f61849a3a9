package dev.berth.oci.bundle;

import java.util.List;

/** A process identity with numbers only, as config.json and {@code runc exec --user} want it. */
public record ResolvedUser(int uid, int gid, List<Integer> additionalGids, String home) {
    public static final ResolvedUser ROOT = new ResolvedUser(0, 0, List.of(), "/root");

    public ResolvedUser {
        additionalGids = List.copyOf(additionalGids);
    }
}
