package dev.berth.engine.images;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.berth.image.unpack.Compression;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** What an import source is, judged by its content rather than its file name. */
enum ArchiveKind {
    OCI_LAYOUT_DIR, ROOTFS_DIR, OCI_ARCHIVE, DOCKER_ARCHIVE, ROOTFS_TARBALL;

    private static final int ENTRIES_TO_LOOK_AT = 64;

    static ArchiveKind of(Path source) throws IOException {
        if (Files.isDirectory(source)) {
            return Files.isRegularFile(source.resolve("oci-layout")) ? OCI_LAYOUT_DIR : ROOTFS_DIR;
        }
        try (InputStream tar = Compression.decompressed(new BufferedInputStream(Files.newInputStream(source), 64 * 1024))) {
            return kindOfTar(tar);
        }
    }

    /** docker save writes manifest.json; an OCI archive has oci-layout and index.json at its root. */
    private static ArchiveKind kindOfTar(InputStream in) throws IOException {
        var tar = new TarArchiveInputStream(in);
        boolean manifest = false;
        boolean ociLayout = false;
        TarArchiveEntry e;
        for (int i = 0; i < ENTRIES_TO_LOOK_AT && (e = tar.getNextEntry()) != null; i++) {
            String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
            manifest |= name.equals("manifest.json");
            ociLayout |= name.equals("oci-layout");
        }
        return ociLayout ? OCI_ARCHIVE : manifest ? DOCKER_ARCHIVE : ROOTFS_TARBALL;
    }
}
