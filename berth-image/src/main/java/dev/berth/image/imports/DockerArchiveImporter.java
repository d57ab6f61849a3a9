package dev.berth.image.imports;

import dev.berth.image.unpack.Compression;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.image.ref.ImageReference;
import dev.berth.image.store.BlobStore;
import dev.berth.image.store.Descriptor;
import dev.berth.image.store.ImageJson;
import dev.berth.image.store.ImageStore;
import dev.berth.image.store.StoredImage;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Imports a {@code docker save} archive: {@code manifest.json} lists, per image, the config file,
 * the layer tars and the repo tags. The tar is read once, streaming every file into the store
 * (files of the legacy layout that are not blobs, such as {@code <id>/json}, are skipped); the
 * image gets an OCI manifest over the unchanged config, so its id equals Docker's.
 */
public final class DockerArchiveImporter {
    private final ImageStore store;

    public DockerArchiveImporter(ImageStore store) {
        this.store = store;
    }

    /** Imports the image named {@code ref} in the archive, or its only (first) image; {@code ref} null takes its first tag. */
    @SuppressWarnings("try") // the lock is held for the block
    public StoredImage importArchive(Path tar, ImageReference ref) {
        try (var lease = store.lease();
             var in = new TarArchiveInputStream(Compression.decompressed(new BufferedInputStream(Files.newInputStream(tar))))) {
            byte[] manifestJson = null;
            Map<String, Descriptor> files = new HashMap<>();
            for (TarArchiveEntry entry; (entry = in.getNextEntry()) != null; ) {
                String name = OciLayoutImporter.normalize(entry.getName());
                if (!entry.isFile()) {
                    continue;
                }
                if (name.equals("manifest.json")) {
                    manifestJson = in.readNBytes(ImageStore.MAX_DOCUMENT_BYTES);
                } else if (isContent(name)) {
                    var buffered = new BufferedInputStream(in, 64 * 1024);
                    Compression compression = Compression.sniff(buffered);
                    BlobStore.Written written = store.blobs().write(buffered, null, entry.getSize());
                    files.put(name, new Descriptor(compression.ociLayerMediaType(), written.digest(), written.size()));
                }
            }
            if (manifestJson == null) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, tar + " is not a docker save archive: it has no manifest.json");
            }
            return importImage(tar, chooseImage(tar, ImageJson.mapper().readTree(manifestJson), ref), files, ref);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "cannot import docker archive " + tar + ": " + e.getMessage(), e);
        }
    }

    private StoredImage importImage(Path tar, JsonNode image, Map<String, Descriptor> files, ImageReference ref)
            throws IOException {
        if (ref == null) {
            JsonNode tags = image.path("RepoTags");
            if (tags.isEmpty()) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, tar + ": the image has no tag; give a reference to import it as");
            }
            ref = ImageReference.parse(tags.get(0).asText());
        }
        Descriptor config = file(tar, files, image.path("Config").asText());
        var layers = new ArrayList<Descriptor>();
        for (JsonNode layer : image.path("Layers")) {
            layers.add(file(tar, files, layer.asText()));
        }
        byte[] configBytes = store.blobs().read(config.digest(), ImageStore.MAX_DOCUMENT_BYTES);
        return ImageWriter.write(store, ref, configBytes, layers);
    }

    private static JsonNode chooseImage(Path tar, JsonNode manifest, ImageReference ref) {
        if (!manifest.isArray() || manifest.isEmpty()) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, tar + ": manifest.json lists no image");
        }
        if (ref != null) {
            for (JsonNode image : manifest) {
                for (JsonNode tag : image.path("RepoTags")) {
                    if (sameReference(tag.asText(), ref)) {
                        return image;
                    }
                }
            }
        }
        return manifest.get(0);
    }

    private static boolean sameReference(String tag, ImageReference ref) {
        try {
            return ImageReference.parse(tag).equals(ref);
        } catch (BerthException e) {
            return false;
        }
    }

    private static Descriptor file(Path tar, Map<String, Descriptor> files, String path) {
        Descriptor found = files.get(OciLayoutImporter.normalize(path));
        if (found == null) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, tar + ": manifest.json names " + path
                    + ", which the archive does not contain");
        }
        return found;
    }

    /** Files that can be configs or layers: everything but the archive's own metadata. */
    private static boolean isContent(String name) {
        return !(name.equals("repositories") || name.equals("index.json") || name.equals("oci-layout")
                || name.endsWith("/json") || name.endsWith("/VERSION"));
    }
}
