package dev.berth.image.imports;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.berth.image.ref.Digest;
import dev.berth.image.ref.ImageReference;
import dev.berth.image.ref.Platform;
import dev.berth.image.store.Descriptor;
import dev.berth.image.store.ImageConfig;
import dev.berth.image.store.ImageJson;
import dev.berth.image.store.ImageStore;
import dev.berth.image.store.MediaTypes;
import dev.berth.image.store.StoredImage;
import java.io.IOException;
import java.util.List;

/** Writes a config and an OCI image manifest for layers already in the store, and names the result. */
final class ImageWriter {
    private ImageWriter() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ManifestDocument(int schemaVersion, String mediaType, Descriptor config, List<Descriptor> layers) {
    }

    static StoredImage write(ImageStore store, ImageReference ref, byte[] config, List<Descriptor> layers) throws IOException {
        Digest configDigest = store.blobs().write(config);
        var manifest = new ManifestDocument(2, MediaTypes.OCI_MANIFEST,
                new Descriptor(MediaTypes.OCI_CONFIG, configDigest, config.length), layers);
        byte[] manifestBytes = ImageJson.mapper().writeValueAsBytes(manifest);
        Digest manifestDigest = store.blobs().write(manifestBytes);
        Platform platform = ImageConfig.parse(config).platform();
        return store.put(ref, manifestDigest, manifestDigest, platform);
    }
}
