package dev.berth.oci.backend;

import dev.berth.oci.rootfs.RootfsKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What Berth keeps next to a bundle's config.json ({@code berth.json}): whose it is (the owner
 * labels, also in config.json's annotations), what it runs, and how it was built. Written before
 * anything else of the bundle exists, so a crash mid-create leaves a bundle the reaper can find.
 */
public record BundleMeta(String id, String workload, Map<String, String> labels, String image, String runtime,
                         RootfsKind rootfs, List<String> networks, boolean hostAccess, Instant createdAt) {
    public BundleMeta {
        labels = Map.copyOf(labels);
        networks = List.copyOf(networks);
    }

    public BundleMeta withRootfs(RootfsKind kind) {
        return new BundleMeta(id, workload, labels, image, runtime, kind, networks, hostAccess, createdAt);
    }
}
