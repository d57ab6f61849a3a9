package dev.berth.image.registry;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.image.ref.ImageReference;
import dev.berth.image.store.Descriptor;
import dev.berth.image.store.ImageStore;
import dev.berth.image.store.StoredImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;

/**
 * Pushes a stored image: each blob (config, layers) is checked with HEAD and uploaded when
 * missing, then the manifest is PUT under the target's tag (or digest). The manifest bytes are
 * pushed unchanged, so the digest at the registry equals the local one.
 */
public final class ImagePusher {
    private final RegistryClient client;
    private final ImageStore store;

    public ImagePusher(RegistryClient client, ImageStore store) {
        this.client = client;
        this.store = store;
    }

    public PushResult push(StoredImage image, ImageReference target) {
        String repository = target.repository();
        var blobs = new LinkedHashMap<String, Descriptor>();
        var all = new ArrayList<Descriptor>();
        all.add(new Descriptor(null, image.configDigest(), 0));
        all.addAll(image.layers());
        all.forEach(d -> blobs.putIfAbsent(d.digest().toString(), d));
        var checker = new BlobChecker(client);
        var pusher = new BlobPusher(client);
        int uploaded = 0;
        int skipped = 0;
        for (Descriptor blob : blobs.values()) {
            if (checker.exists(repository, blob.digest(), Scopes.push(repository))) {
                skipped++;
                continue;
            }
            if (!store.blobs().contains(blob.digest())) {
                throw new BerthException(ErrorCode.IMAGE_NOT_FOUND, "cannot push " + target + ": blob " + blob.digest()
                        + " is missing from the local store");
            }
            pusher.push(repository, blob, store.blobs().path(blob.digest()));
            uploaded++;
        }
        byte[] manifest;
        try {
            manifest = store.blobs().read(image.manifestDigest(), ImageStore.MAX_DOCUMENT_BYTES);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.IMAGE_NOT_FOUND, "cannot push " + target + ": its manifest cannot be read: "
                    + e.getMessage(), e);
        }
        var digest = new ManifestPusher(client).push(repository, target.manifestReference(), manifest,
                image.manifestMediaType());
        return new PushResult(target, digest, uploaded, skipped);
    }
}
