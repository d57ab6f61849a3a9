package dev.berth.image.registry;

import dev.berth.image.ref.Digest;

/**
 * Progress of one layer of a pull.
 *
 * @param image  the canonical reference being pulled
 * @param digest the layer's digest
 * @param state  where the layer is
 * @param bytes  bytes stored so far
 * @param total  the layer's size from the manifest
 */
public record PullEvent(String image, Digest digest, LayerState state, long bytes, long total) {
}
