package dev.berth.image.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.berth.api.error.BerthException;
import dev.berth.image.ImageService;
import dev.berth.image.ref.Digest;
import dev.berth.image.ref.Platform;
import dev.berth.image.registry.CredentialResolver;
import dev.berth.image.registry.RegistryOptions;
import dev.berth.image.store.ImageStore;
import dev.berth.image.store.MediaTypes;
import dev.berth.image.store.StoredImage;
import dev.berth.image.testing.OciLayoutBuilder;
import dev.berth.image.testing.OciLayoutBuilder.Compression;
import dev.berth.image.testing.Processes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportTest {
    @TempDir
    Path tmp;

    private ImageService images;

    @BeforeEach
    void setUp() {
        images = new ImageService(new ImageStore(tmp.resolve("store")), CredentialResolver.none(), RegistryOptions.defaults());
    }

    @AfterEach
    void tearDown() {
        images.close();
    }

    private OciLayoutBuilder layoutWithTwoTags() {
        var layout = new OciLayoutBuilder(tmp.resolve("layout"));
        var host = layout.image(Platform.host(), List.of(layout.textLayer(Compression.GZIP, "a", "a"),
                layout.textLayer(Compression.ZSTD, "b", "b")), List.of("/a"));
        var other = layout.image(Platform.host(), List.of(layout.textLayer(Compression.NONE, "c", "c")), List.of("/c"));
        layout.tag("1.0", host.manifest()).tag("2.0", other.manifest()).finish();
        return layout;
    }

    @Test
    void ociLayoutImportPicksTheTagAndVerifiesBlobs() {
        layoutWithTwoTags();
        StoredImage image = images.importOciLayout(tmp.resolve("layout"), "example.test/app:1.0");

        assertThat(image.config().cmd()).containsExactly("/a");
        assertThat(image.layers()).extracting(l -> l.mediaType()).containsExactly(MediaTypes.OCI_LAYER_GZIP,
                MediaTypes.OCI_LAYER_ZSTD);
        assertThat(images.find("example.test/app:1.0")).isPresent();
        assertThatThrownBy(() -> images.importOciLayout(tmp.resolve("layout"), "example.test/app:3.0"))
                .isInstanceOf(BerthException.class).hasMessageContaining("none is named '3.0'")
                .hasMessageContaining("[1.0, 2.0]");
    }

    @Test
    void ociLayoutWithATamperedBlobIsRefused() throws IOException {
        var layout = layoutWithTwoTags();
        var manifest = images.store(); // keep the store open; tamper the layout's first layer
        try (var files = Files.list(layout.dir().resolve("blobs/sha256"))) {
            for (Path blob : files.toList()) {
                byte[] bytes = Files.readAllBytes(blob);
                if (bytes.length > 2 && (bytes[0] & 0xff) == 0x1f) {
                    bytes[bytes.length - 1] ^= 1;
                    Files.write(blob, bytes);
                }
            }
        }
        assertThatThrownBy(() -> images.importOciLayout(layout.dir(), "example.test/app:1.0"))
                .isInstanceOf(BerthException.class).hasMessageContaining("digest mismatch");
        assertThat(manifest.list()).isEmpty();
    }

    @Test
    void ociArchiveImportReadsTheTarInOnePass() throws IOException {
        var layout = layoutWithTwoTags();
        Path archive = tmp.resolve("image.tar");
        try (var tar = new TarArchiveOutputStream(Files.newOutputStream(archive));
             var walk = Files.walk(layout.dir())) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                var entry = new TarArchiveEntry(file.toFile(), "./" + layout.dir().relativize(file));
                tar.putArchiveEntry(entry);
                Files.copy(file, tar);
                tar.closeArchiveEntry();
            }
        }
        StoredImage image = images.importOciArchive(archive, "example.test/app:2.0");
        assertThat(image.config().cmd()).containsExactly("/c");
        assertThat(image.layers()).singleElement().extracting(l -> l.mediaType()).isEqualTo(MediaTypes.OCI_LAYER);
    }

    @Test
    void rootfsDirectoryBecomesOneGzipLayerWithTheChangesApplied() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("rootfs/usr/bin"));
        Files.writeString(root.resolve("hello"), "#!/bin/sh\necho hi\n");
        Files.createSymbolicLink(tmp.resolve("rootfs/bin"), Path.of("usr/bin"));

        StoredImage image = images.importRootfs(tmp.resolve("rootfs"), "example.test/rootfs:1", List.of(
                "ENTRYPOINT [\"/usr/bin/hello\"]", "CMD echo \"two words\"", "ENV A=1 B=\"x y\"", "ENV C 3 4",
                "WORKDIR /srv", "USER 1000:1000", "EXPOSE 8080 53/udp", "LABEL org.example=yes"));

        assertThat(image.config().entrypoint()).containsExactly("/usr/bin/hello");
        assertThat(image.config().cmd()).containsExactly("/bin/sh", "-c", "echo \"two words\"");
        assertThat(image.config().env()).containsExactly("A=1", "B=x y", "C=3 4");
        assertThat(image.config().workingDir()).isEqualTo("/srv");
        assertThat(image.config().user()).isEqualTo("1000:1000");
        assertThat(image.config().exposedPorts()).containsExactlyInAnyOrder("8080/tcp", "53/udp");
        assertThat(image.config().labels()).containsEntry("org.example", "yes");
        assertThat(image.config().platform()).isEqualTo(Platform.host());
        var layer = image.layers().getFirst();
        assertThat(layer.mediaType()).isEqualTo(MediaTypes.OCI_LAYER_GZIP);
        List<String> names = new ArrayList<>();
        byte[] uncompressed;
        try (InputStream in = new GZIPInputStream(images.store().blobs().open(layer.digest()))) {
            uncompressed = in.readAllBytes();
        }
        assertThat(Digest.sha256(uncompressed)).isEqualTo(image.config().diffIds().getFirst());
        try (var tar = new TarArchiveInputStream(new java.io.ByteArrayInputStream(uncompressed))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                names.add(e.getName() + (e.isSymbolicLink() ? "->" + e.getLinkName() : ""));
            }
        }
        assertThat(names).containsExactly("bin->usr/bin", "usr/", "usr/bin/", "usr/bin/hello");
    }

    @Test
    void rootfsTarballIsStoredAsIsWithItsDiffId() throws IOException {
        byte[] tar = OciLayoutBuilder.tar(Map.of("etc/motd", "hi\n".getBytes(StandardCharsets.UTF_8)));
        Path gz = tmp.resolve("rootfs.tar.gz");
        try (var out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(tar);
        }
        StoredImage image = images.importRootfs(gz, "example.test/tarball:1", List.of("CMD [\"/bin/sh\"]"));
        assertThat(image.layers().getFirst().digest()).isEqualTo(Digest.sha256(Files.readAllBytes(gz)));
        assertThat(image.layers().getFirst().mediaType()).isEqualTo(MediaTypes.OCI_LAYER_GZIP);
        assertThat(image.config().diffIds()).containsExactly(Digest.sha256(tar));
    }

    @Test
    void unknownChangeInstructionIsRejectedNamingTheField() throws IOException {
        Files.createDirectories(tmp.resolve("rootfs"));
        assertThatThrownBy(() -> images.importRootfs(tmp.resolve("rootfs"), "example.test/x:1", List.of("RUN rm -rf /")))
                .isInstanceOf(BerthException.class)
                .hasMessageContaining("changes: invalid value 'RUN rm -rf /'")
                .hasMessageContaining("allowed: CMD, ENTRYPOINT");
    }

    @Test
    void dockerSaveArchiveImportKeepsDockersImageId() throws IOException {
        assumeThat(Processes.available("docker")).as("docker CLI").isTrue();
        assumeThat(Processes.run(Duration.ofSeconds(20), List.of("docker", "info")).exitCode()).as("dockerd").isZero();
        String name = "berth-test/docker-archive-" + UUID.randomUUID().toString().substring(0, 8) + ":1";
        byte[] tar = OciLayoutBuilder.tar(Map.of("etc/motd", "from docker\n".getBytes(StandardCharsets.UTF_8),
                "bin/app", new byte[50_000]));
        Path rootfs = tmp.resolve("rootfs.tar");
        Files.write(rootfs, tar);
        Path saved = tmp.resolve("saved.tar");
        try {
            Processes.runOrFail(Duration.ofMinutes(1), List.of("docker", "import", "--change", "CMD [\"/bin/app\"]",
                    "--change", "ENV FROM_DOCKER=1", rootfs.toString(), name));
            String dockerId = Processes.runOrFail(Duration.ofSeconds(30), List.of("docker", "image", "inspect",
                    "--format", "{{.Id}}", name)).output().strip();
            Processes.runOrFail(Duration.ofMinutes(1), List.of("docker", "save", "-o", saved.toString(), name));

            StoredImage image = images.importDockerArchive(saved, null);

            assertThat(image.reference().toString()).isEqualTo("docker.io/" + name);
            assertThat(image.id().toString()).isEqualTo(dockerId);
            assertThat(image.config().cmd()).containsExactly("/bin/app");
            assertThat(image.config().env()).contains("FROM_DOCKER=1");
            assertThat(image.layers()).singleElement().satisfies(l -> {
                assertThat(l.mediaType()).isEqualTo(MediaTypes.OCI_LAYER);
                assertThat(l.digest()).isEqualTo(image.config().diffIds().getFirst());
            });
            StoredImage renamed = images.importDockerArchive(saved, "example.test/renamed:2");
            assertThat(renamed.id()).isEqualTo(image.id());
        } finally {
            Processes.run(Duration.ofSeconds(30), List.of("docker", "rmi", "-f", name));
        }
    }
}
