package dev.berth.image.registry;

import dev.berth.image.ref.Digest;
import dev.berth.image.ref.ImageReference;

/** What a push did: the manifest digest at the registry and how many blobs had to be sent. */
public record PushResult(ImageReference reference, Digest manifestDigest, int blobsUploaded, int blobsSkipped) {
}
