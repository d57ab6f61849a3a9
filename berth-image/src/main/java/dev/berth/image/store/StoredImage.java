package dev.berth.image.store;

import dev.berth.image.ref.Digest;
import dev.berth.image.ref.ImageReference;
import java.util.List;

/**
 * An image present in the store: every blob it names is on disk.
 *
 * @param reference      the name it was stored under
 * @param digest         what the name resolved to at the registry: the index digest for a
 *                       multi-platform image, else the manifest digest
 * @param manifestDigest the platform's image manifest ({@code RepoDigest} in Docker terms)
 * @param manifestMediaType OCI or Docker manifest media type
 * @param configDigest   the config blob digest, which is the image id
 * @param layers         layer descriptors in order (media type tells the compression)
 * @param config         the parsed config
 * @param size           config plus compressed layer bytes
 */
public record StoredImage(ImageReference reference, Digest digest, Digest manifestDigest, String manifestMediaType,
                          Digest configDigest, List<Descriptor> layers, ImageConfig config, long size) {
    public StoredImage {
        layers = List.copyOf(layers);
    }

    /** The image id, as Docker defines it: the config digest. */
    public Digest id() {
        return configDigest;
    }
}
