package dev.berth.image.registry;

/** Where one blob of a pull is. */
public enum LayerState {
    /** Queued behind the concurrent-download limit. */
    WAITING,
    /** Bytes are arriving; {@link PullEvent#bytes()} counts them (including a resumed prefix). */
    DOWNLOADING,
    /** All bytes are in; the digest is being checked. */
    VERIFYING,
    /** Downloaded, verified and stored. */
    DONE,
    /** Already in the store; nothing was transferred. */
    CACHED
}
