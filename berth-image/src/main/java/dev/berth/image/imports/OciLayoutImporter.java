package dev.berth.image.imports;

import dev.berth.image.unpack.Compression;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.image.ref.Digest;
import dev.berth.image.ref.ImageReference;
import dev.berth.image.ref.Platform;
import dev.berth.image.registry.PlatformSelector;
import dev.berth.image.store.Descriptor;
import dev.berth.image.store.ImageStore;
import dev.berth.image.store.Manifest;
import dev.berth.image.store.MediaTypes;
import dev.berth.image.store.StoredImage;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Imports an image from an OCI image layout: a directory ({@code oci-layout}, {@code index.json},
 * {@code blobs/<alg>/<hex>}) or a tar of one ({@code oci-archive}). The image is the
 * {@code index.json} entry whose {@code org.opencontainers.image.ref.name} annotation matches the
 * reference's tag (or the whole reference), else the only entry; an index is resolved for the
 * platform. Every blob is verified against its digest on the way in.
 */
public final class OciLayoutImporter {
    static final String REF_NAME = "org.opencontainers.image.ref.name";

    private final ImageStore store;

    public OciLayoutImporter(ImageStore store) {
        this.store = store;
    }

    @SuppressWarnings("try") // the lock is held for the block
    public StoredImage importDirectory(Path dir, ImageReference ref, Platform platform) {
        try (var lease = store.lease()) {
            byte[] index = readLayoutFile(dir, "index.json");
            readLayoutFile(dir, "oci-layout");
            return importIndex(index, ref, platform, blob -> {
                if (!store.blobs().contains(blob)) {
                    Path file = dir.resolve("blobs").resolve(blob.digest().algorithm()).resolve(blob.digest().hex());
                    try (InputStream in = Files.newInputStream(file)) {
                        store.blobs().write(in, blob.digest(), blob.size());
                    } catch (NoSuchFileException e) {
                        throw new BerthException(ErrorCode.INVALID_ARGUMENT, "OCI layout " + dir + " lacks blob " + blob.digest());
                    }
                }
            }, dir.toString());
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "cannot import OCI layout " + dir + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("try") // the lock is held for the block
    public StoredImage importArchive(Path tar, ImageReference ref, Platform platform) {
        try (var lease = store.lease();
             var in = new TarArchiveInputStream(Compression.decompressed(new BufferedInputStream(Files.newInputStream(tar))))) {
            byte[] index = null;
            for (TarArchiveEntry entry; (entry = in.getNextEntry()) != null; ) {
                String name = normalize(entry.getName());
                if (!entry.isFile()) {
                    continue;
                }
                if (name.equals("index.json")) {
                    index = in.readNBytes(ImageStore.MAX_DOCUMENT_BYTES);
                } else if (name.startsWith("blobs/") && name.chars().filter(c -> c == '/').count() == 2) {
                    String[] parts = name.split("/");
                    Digest digest = Digest.parse(parts[1] + ":" + parts[2]);
                    if (!store.blobs().contains(digest)) {
                        store.blobs().write(in, digest, entry.getSize());
                    }
                }
            }
            if (index == null) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, tar + " is not an OCI archive: it has no index.json");
            }
            // Blobs of other platforms stay unnamed until prune() (deleting them here could race a pull).
            return importIndex(index, ref, platform, blob -> {
                if (!store.blobs().contains(blob)) {
                    throw new BerthException(ErrorCode.INVALID_ARGUMENT, "OCI archive " + tar + " lacks blob " + blob.digest());
                }
            }, tar.toString());
        } catch (IOException | BerthException e) {
            throw e instanceof BerthException b ? b
                    : new BerthException(ErrorCode.INVALID_ARGUMENT, "cannot import OCI archive " + tar + ": " + e.getMessage(), e);
        }
    }

    private StoredImage importIndex(byte[] indexJson, ImageReference ref, Platform platform, BlobSource source,
                                    String origin) throws IOException {
        if (!(Manifest.parse(indexJson, MediaTypes.OCI_INDEX) instanceof Manifest.Index index)) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, origin + ": index.json is not an image index");
        }
        Descriptor top = chooseEntry(index, ref, platform, origin);
        source.ensure(top);
        Descriptor manifest = top;
        if (store.readManifest(top.digest()) instanceof Manifest.Index nested) {
            manifest = PlatformSelector.select(nested, platform, ref.toString());
            source.ensure(manifest);
        }
        if (!(store.readManifest(manifest.digest()) instanceof Manifest.Image image)) {
            throw new BerthException(ErrorCode.UNSUPPORTED, origin + ": an index inside an index is not supported");
        }
        source.ensure(image.config());
        for (Descriptor layer : image.layers()) {
            source.ensure(layer);
        }
        Platform chosen = manifest.platform() != null ? manifest.platform() : store.readConfigPlatform(image.config().digest());
        return store.put(ref, top.digest(), manifest.digest(), chosen);
    }

    private static Descriptor chooseEntry(Manifest.Index index, ImageReference ref, Platform platform, String origin) {
        List<Descriptor> named = index.manifests().stream().filter(d -> refNameMatches(d.annotations().get(REF_NAME), ref)).toList();
        List<Descriptor> candidates = named.isEmpty() ? index.manifests() : named;
        if (candidates.size() == 1) {
            return candidates.getFirst();
        }
        if (!candidates.isEmpty() && candidates.stream().allMatch(d -> d.platform() != null)) {
            return PlatformSelector.select(new Manifest.Index(MediaTypes.OCI_INDEX, candidates), platform, ref.toString());
        }
        var names = index.manifests().stream().map(d -> d.annotations().get(REF_NAME)).filter(Objects::nonNull).toList();
        throw new BerthException(ErrorCode.IMAGE_NOT_FOUND, origin + " holds " + index.manifests().size()
                + " images and none is named '" + ref.tag() + "'; names: " + (names.isEmpty() ? "none" : names));
    }

    private static boolean refNameMatches(String refName, ImageReference ref) {
        if (refName == null) {
            return false;
        }
        if (refName.equals(ref.tag())) {
            return true;
        }
        try {
            return ImageReference.parse(refName).equals(ref);
        } catch (BerthException e) {
            return false;
        }
    }

    private static byte[] readLayoutFile(Path dir, String name) throws IOException {
        try {
            return Files.readAllBytes(dir.resolve(name));
        } catch (NoSuchFileException e) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, dir + " is not an OCI image layout: it has no " + name);
        }
    }

    static String normalize(String tarPath) {
        String name = tarPath;
        while (name.startsWith("./")) {
            name = name.substring(2);
        }
        return name.startsWith("/") ? name.substring(1) : name;
    }
}
