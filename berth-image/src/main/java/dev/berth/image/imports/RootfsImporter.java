package dev.berth.image.imports;

import dev.berth.image.unpack.Compression;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.image.ref.Digest;
import dev.berth.image.ref.ImageReference;
import dev.berth.image.ref.Platform;
import dev.berth.image.store.BlobStore;
import dev.berth.image.store.Descriptor;
import dev.berth.image.store.ImageJson;
import dev.berth.image.store.ImageStore;
import dev.berth.image.store.MediaTypes;
import dev.berth.image.store.StoredImage;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Builds a single-layer image from a root filesystem: a directory (written as a gzip layer) or a
 * tarball (stored as it is: plain, gzip or zstd), with a config for this host's architecture
 * and the Dockerfile-style {@code changes} applied (see {@link ConfigChanges}).
 */
public final class RootfsImporter {
    private final ImageStore store;

    public RootfsImporter(ImageStore store) {
        this.store = store;
    }

    @SuppressWarnings("try") // the lock is held for the block
    public StoredImage importRootfs(Path source, ImageReference ref, List<String> changes) {
        try (var lease = store.lease()) {
            Layer layer = Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS) ? fromDirectory(source) : fromTarball(source);
            byte[] config = config(layer.diffId(), changes == null ? List.of() : changes);
            return ImageWriter.write(store, ref, config, List.of(layer.descriptor()));
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "cannot import root filesystem " + source + ": " + e.getMessage(), e);
        }
    }

    private record Layer(Descriptor descriptor, Digest diffId) {
    }

    private Layer fromDirectory(Path dir) throws IOException {
        Path tmp = store.blobs().newTempFile();
        try {
            MessageDigest diffId = Digest.newSha256();
            MessageDigest compressed = Digest.newSha256();
            try (OutputStream file = Files.newOutputStream(tmp);
                 var hashedFile = new DigestOutputStream(file, compressed);
                 var gzip = new GZIPOutputStream(hashedFile, 64 * 1024);
                 var tar = new DigestOutputStream(gzip, diffId)) {
                LayerTarWriter.write(dir, tar);
            }
            Digest digest = Digest.of("sha256", compressed.digest());
            long size = Files.size(tmp);
            store.blobs().commit(tmp, digest);
            return new Layer(new Descriptor(MediaTypes.OCI_LAYER_GZIP, digest, size), Digest.of("sha256", diffId.digest()));
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private Layer fromTarball(Path tarball) throws IOException {
        Compression compression;
        BlobStore.Written written;
        try (var in = new BufferedInputStream(Files.newInputStream(tarball), 64 * 1024)) {
            compression = Compression.sniff(in);
            written = store.blobs().write(in);
        }
        Digest diffId = written.digest();
        if (compression != Compression.NONE) {
            MessageDigest hasher = Digest.newSha256();
            try (InputStream in = Compression.decompressed(store.blobs().open(written.digest()))) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    hasher.update(buffer, 0, n);
                }
            }
            diffId = Digest.of("sha256", hasher.digest());
        }
        return new Layer(new Descriptor(compression.ociLayerMediaType(), written.digest(), written.size()), diffId);
    }

    private static byte[] config(Digest diffId, List<String> changes) throws IOException {
        var mapper = ImageJson.mapper();
        ObjectNode root = mapper.createObjectNode();
        String created = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        Platform host = Platform.host();
        root.put("created", created);
        root.put("architecture", host.architecture());
        if (host.variant() != null) {
            root.put("variant", host.variant());
        }
        root.put("os", host.os());
        ObjectNode config = root.putObject("config");
        ConfigChanges.apply(config, changes);
        ObjectNode rootfs = root.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.putArray("diff_ids").add(diffId.toString());
        root.putArray("history").addObject().put("created", created).put("created_by", "berth image import");
        return mapper.writeValueAsBytes(root);
    }
}
