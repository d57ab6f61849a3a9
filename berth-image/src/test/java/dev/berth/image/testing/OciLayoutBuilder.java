package dev.berth.image.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.ZstdOutputStream;
import dev.berth.image.ref.Digest;
import dev.berth.image.ref.Platform;
import dev.berth.image.store.Descriptor;
import dev.berth.image.store.ImageJson;
import dev.berth.image.store.MediaTypes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Builds OCI image layouts in tests: layers (plain, gzip, zstd), configs, manifests, indexes. */
public final class OciLayoutBuilder {
    public enum Compression { NONE, GZIP, ZSTD }

    /** A layer: its descriptor, diff id and the files it holds. */
    public record Layer(Descriptor descriptor, Digest diffId, Map<String, byte[]> files) {
    }

    /** An image manifest written into the layout. */
    public record Image(Descriptor manifest, Digest config, List<Layer> layers) {
    }

    private final Path dir;
    private final Map<String, Descriptor> tags = new LinkedHashMap<>();

    public OciLayoutBuilder(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir.resolve("blobs/sha256"));
            Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    public Layer layer(Compression compression, Map<String, byte[]> files) {
        return layer(compression, tar(files), files);
    }

    /** A layer from a tar built elsewhere (entries in any order, whiteouts, links, hostile names). */
    public Layer tarLayer(Compression compression, byte[] tar) {
        return layer(compression, tar, Map.of());
    }

    private Layer layer(Compression compression, byte[] tar, Map<String, byte[]> files) {
        byte[] blob = compress(tar, compression);
        String mediaType = switch (compression) {
            case NONE -> MediaTypes.OCI_LAYER;
            case GZIP -> MediaTypes.OCI_LAYER_GZIP;
            case ZSTD -> MediaTypes.OCI_LAYER_ZSTD;
        };
        Digest digest = writeBlob(blob);
        return new Layer(new Descriptor(mediaType, digest, blob.length), Digest.sha256(tar), files);
    }

    /** A layer with one file of {@code size} random (incompressible) bytes. */
    public Layer randomLayer(Compression compression, String path, int size, long seed) {
        byte[] content = new byte[size];
        new Random(seed).nextBytes(content);
        return layer(compression, Map.of(path, content));
    }

    public Layer textLayer(Compression compression, String path, String text) {
        return layer(compression, Map.of(path, text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Writes config and manifest for {@code layers}; {@code cmd} goes into the config. */
    public Image image(Platform platform, List<Layer> layers, List<String> cmd) {
        ObjectNode config = ImageJson.mapper().createObjectNode();
        config.put("architecture", platform.architecture());
        config.put("os", platform.os());
        if (platform.variant() != null) {
            config.put("variant", platform.variant());
        }
        ObjectNode inner = config.putObject("config");
        inner.putArray("Env").add("PATH=/usr/bin:/bin").add("BERTH_TEST=1");
        ArrayNode cmdNode = inner.putArray("Cmd");
        cmd.forEach(cmdNode::add);
        inner.put("WorkingDir", "/work");
        inner.put("User", "1000:1000");
        inner.putObject("ExposedPorts").putObject("8080/tcp");
        ArrayNode diffIds = config.putObject("rootfs").put("type", "layers").putArray("diff_ids");
        layers.forEach(l -> diffIds.add(l.diffId().toString()));
        byte[] configBytes = json(config);
        Digest configDigest = writeBlob(configBytes);
        ObjectNode manifest = ImageJson.mapper().createObjectNode();
        manifest.put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_MANIFEST);
        manifest.set("config", ImageJson.mapper().valueToTree(new Descriptor(MediaTypes.OCI_CONFIG, configDigest, configBytes.length)));
        ArrayNode layerNodes = manifest.putArray("layers");
        layers.forEach(l -> layerNodes.add(ImageJson.mapper().<ObjectNode>valueToTree(l.descriptor())));
        byte[] manifestBytes = json(manifest);
        Digest manifestDigest = writeBlob(manifestBytes);
        return new Image(new Descriptor(MediaTypes.OCI_MANIFEST, manifestDigest, manifestBytes.length, platform, null, null),
                configDigest, layers);
    }

    /** Writes an image index over {@code images}; returns its descriptor. */
    public Descriptor index(List<Image> images) {
        ObjectNode index = ImageJson.mapper().createObjectNode();
        index.put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode manifests = index.putArray("manifests");
        images.forEach(i -> manifests.add(ImageJson.mapper().<ObjectNode>valueToTree(i.manifest())));
        byte[] bytes = json(index);
        return new Descriptor(MediaTypes.OCI_INDEX, writeBlob(bytes), bytes.length);
    }

    /** Names {@code descriptor} {@code tag} in the layout's index.json (written by {@link #finish()}). */
    public OciLayoutBuilder tag(String tag, Descriptor descriptor) {
        tags.put(tag, descriptor);
        return this;
    }

    public Path finish() {
        ObjectNode index = ImageJson.mapper().createObjectNode();
        index.put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode manifests = index.putArray("manifests");
        tags.forEach((tag, d) -> {
            ObjectNode node = manifests.addObject();
            node.put("mediaType", d.mediaType()).put("digest", d.digest().toString()).put("size", d.size());
            node.putObject("annotations").put("org.opencontainers.image.ref.name", tag);
        });
        try {
            Files.write(dir.resolve("index.json"), json(index));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    public Path blobPath(Digest digest) {
        return dir.resolve("blobs/sha256").resolve(digest.hex());
    }

    public byte[] blob(Digest digest) {
        try {
            return Files.readAllBytes(blobPath(digest));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Digest writeBlob(byte[] bytes) {
        Digest digest = Digest.sha256(bytes);
        try {
            Files.write(blobPath(digest), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return digest;
    }

    private static byte[] json(Object node) {
        try {
            return ImageJson.mapper().writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] tar(Map<String, byte[]> files) {
        var out = new ByteArrayOutputStream();
        try (var tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            var names = new ArrayList<>(files.keySet());
            names.sort(null);
            for (String name : names) {
                var entry = new TarArchiveEntry(name);
                entry.setSize(files.get(name).length);
                entry.setMode(0644);
                tar.putArchiveEntry(entry);
                tar.write(files.get(name));
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] compress(byte[] data, Compression compression) {
        var out = new ByteArrayOutputStream();
        try (OutputStream stream = switch (compression) {
            case NONE -> out;
            case GZIP -> new GZIPOutputStream(out);
            case ZSTD -> new ZstdOutputStream(out);
        }) {
            stream.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
