package dev.berth.image.store;

/**
 * What {@code prune} removed: unreferenced blobs and leftover partial downloads, and unpacked
 * layer directories no named image uses ({@code bytesFreed} counts both).
 */
public record PruneResult(int blobsRemoved, long bytesFreed, int layerDirsRemoved) {
    public PruneResult(int blobsRemoved, long bytesFreed) {
        this(blobsRemoved, bytesFreed, 0);
    }
}
