package dev.berth.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes an OCI image layout with several gzip layers of a realistic mix (many small text files
 * and some larger binaries), for the pull benchmark. Deterministic for a given seed.
 */
final class BigImage {
    private BigImage() {
    }

    static Path write(Path dir, int layers, int megabytesPerLayer, long seed) throws IOException {
        Files.createDirectories(dir.resolve("blobs/sha256"));
        var random = new Random(seed);
        var layerDescriptors = new ArrayList<String>();
        var diffIds = new ArrayList<String>();
        for (int l = 0; l < layers; l++) {
            Path tarFile = dir.resolve("layer.tmp");
            Path gzFile = dir.resolve("layer.gz.tmp");
            writeLayer(tarFile, l, megabytesPerLayer, random);
            diffIds.add("sha256:" + sha256(tarFile));
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzFile), 256 * 1024)) {
                Files.copy(tarFile, out);
            }
            String digest = sha256(gzFile);
            Files.move(gzFile, dir.resolve("blobs/sha256/" + digest), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.delete(tarFile);
            layerDescriptors.add("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:" + digest
                    + "\",\"size\":" + Files.size(dir.resolve("blobs/sha256/" + digest)) + "}");
        }
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"/bin/sh\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + String.join("\",\"", diffIds) + "\"]}}";
        String configDigest = blob(dir, config);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:" + configDigest
                + "\",\"size\":" + config.length() + "},\"layers\":[" + String.join(",", layerDescriptors) + "]}";
        String manifestDigest = blob(dir, manifest);
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:" + manifestDigest + "\",\"size\":"
                + manifest.length() + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"bench\"}}]}");
        return dir;
    }

    /** ~60% small text files (source-tree-like, compressible), ~40% binary blobs (incompressible). */
    private static void writeLayer(Path file, int layer, int megabytes, Random random) throws IOException {
        long budget = megabytes * 1024L * 1024L;
        try (var tar = new TarArchiveOutputStream(Files.newOutputStream(file))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            String root = "opt/layer" + layer + "/";
            dir(tar, "opt/");
            dir(tar, root);
            long written = 0;
            int n = 0;
            var words = List.of("container", "layer", "berth", "runtime", "image", "registry", "digest", "manifest", "\n");
            while (written < budget * 6 / 10) {
                if (n % 100 == 0) {
                    dir(tar, root + "d" + n / 100 + "/");
                }
                var sb = new StringBuilder();
                int size = 2_000 + random.nextInt(30_000);
                while (sb.length() < size) {
                    sb.append(words.get(random.nextInt(words.size()))).append(' ').append(random.nextInt(1000)).append(' ');
                }
                written += file(tar, root + "d" + n / 100 + "/f" + n + ".txt", sb.toString().getBytes(StandardCharsets.UTF_8));
                n++;
            }
            int b = 0;
            while (written < budget) {
                byte[] bin = new byte[4 * 1024 * 1024];
                random.nextBytes(bin);
                written += file(tar, root + "blob" + b++ + ".bin", bin);
            }
        }
    }

    private static void dir(TarArchiveOutputStream tar, String name) throws IOException {
        var e = new TarArchiveEntry(name);
        e.setMode(040755);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    private static long file(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        var e = new TarArchiveEntry(name);
        e.setMode(0100644);
        e.setSize(content.length);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
        return content.length;
    }

    private static String blob(Path dir, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        String digest = HexFormat.of().formatHex(md().digest(bytes));
        Files.write(dir.resolve("blobs/sha256/" + digest), bytes);
        return digest;
    }

    private static String sha256(Path file) throws IOException {
        var md = md();
        try (var in = Files.newInputStream(file)) {
            byte[] buf = new byte[256 * 1024];
            int r;
            while ((r = in.read(buf)) > 0) {
                md.update(buf, 0, r);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest md() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
