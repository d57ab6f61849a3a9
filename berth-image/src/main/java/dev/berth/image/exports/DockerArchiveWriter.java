package dev.berth.image.exports;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.image.unpack.Compression;
import dev.berth.image.store.Descriptor;
import dev.berth.image.store.ImageStore;
import dev.berth.image.store.StoredImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes an image from Berth's store as a docker-archive ({@code docker save} format), the one
 * format every engine can load: {@code manifest.json}, the config blob, and each layer
 * decompressed (Docker 20.10 loads neither zstd layers nor OCI layouts, and checks the layer
 * tars against the config's diff_ids, which name the uncompressed content).
 */
public final class DockerArchiveWriter {
    private final ImageStore store;
    private final ObjectMapper json = new ObjectMapper();

    public DockerArchiveWriter(ImageStore store) {
        this.store = store;
    }

    public void write(StoredImage image, String repoTag, OutputStream out) throws IOException {
        try (var tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            String config = image.configDigest().hex() + ".json";
            try (InputStream in = store.blobs().open(image.configDigest())) {
                entry(tar, config, store.blobs().size(image.configDigest()), in);
            }
            var layers = new ArrayList<String>();
            for (Descriptor layer : image.layers()) {
                String name = layer.digest().hex() + "/layer.tar";
                layers.add(name);
                writeLayer(tar, name, layer);
            }
            byte[] manifest = json.writeValueAsBytes(List.of(Map.of("Config", config, "RepoTags", List.of(repoTag),
                    "Layers", layers)));
            entry(tar, "manifest.json", manifest.length, new java.io.ByteArrayInputStream(manifest));
            tar.finish();
        }
    }

    /** A tar entry needs its size first, so a compressed layer is decompressed to a temp file. */
    private void writeLayer(TarArchiveOutputStream tar, String name, Descriptor layer) throws IOException {
        Path tmp = store.blobs().newTempFile();
        try {
            try (InputStream raw = store.blobs().open(layer.digest()); InputStream plain = Compression.decompressed(raw)) {
                Files.copy(plain, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            try (InputStream in = Files.newInputStream(tmp)) {
                entry(tar, name, Files.size(tmp), in);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void entry(TarArchiveOutputStream tar, String name, long size, InputStream content) throws IOException {
        var e = new TarArchiveEntry(name);
        e.setSize(size);
        e.setMode(0644);
        tar.putArchiveEntry(e);
        content.transferTo(tar);
        tar.closeArchiveEntry();
    }
}
