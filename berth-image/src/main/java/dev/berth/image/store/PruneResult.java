package dev.berth.image.store;

/** What {@code prune} removed: unreferenced blobs and leftover partial downloads. */
public record PruneResult(int blobsRemoved, long bytesFreed) {
}
