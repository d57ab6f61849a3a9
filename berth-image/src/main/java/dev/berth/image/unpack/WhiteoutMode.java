package dev.berth.image.unpack;

/** What a layer's OCI whiteout entries ({@code .wh.NAME}, {@code .wh..wh..opq}) become on disk. */
public enum WhiteoutMode {
    /**
     * Delete what they hide from the target (the lower layers already applied there), keeping this
     * layer's own entries; no marker remains. Used when flattening layers into one rootfs.
     */
    APPLY,
    /**
     * Turn them into overlayfs whiteouts for stacking per-layer directories: a 0/0 character device
     * for {@code .wh.NAME}, {@code trusted.overlay.opaque=y} on the directory for an opaque marker.
     * Needs root and a filesystem with trusted xattrs; otherwise the unpack fails with
     * {@link dev.berth.api.error.ErrorCode#UNSUPPORTED} and the caller flattens instead.
     */
    OVERLAY
}
