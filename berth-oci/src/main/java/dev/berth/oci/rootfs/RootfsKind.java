package dev.berth.oci.rootfs;

/** How a workload's root filesystem was made: overlayfs over the shared layers, or a private copy. */
public enum RootfsKind {
    OVERLAY, COPY
}
