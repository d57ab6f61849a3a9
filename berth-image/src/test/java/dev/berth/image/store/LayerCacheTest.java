package dev.berth.image.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.image.ImageService;
import dev.berth.image.ref.Platform;
import dev.berth.image.registry.CredentialResolver;
import dev.berth.image.registry.RegistryOptions;
import dev.berth.image.testing.FileTreeView;
import dev.berth.image.testing.OciLayoutBuilder;
import dev.berth.image.testing.OciLayoutBuilder.Compression;
import dev.berth.image.testing.OverlayMount;
import dev.berth.image.testing.WhiteoutLayers;
import dev.berth.image.unpack.LayerUnpacker;
import dev.berth.image.unpack.TestLayer;
import dev.berth.image.unpack.TestUnpackers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layers unpacked once per digest for overlayfs. Image "whiteouts" stacks {@link WhiteoutLayers};
 * "b" and "c" share its base layer and add one plain layer each (no whiteouts: no root needed).
 */
class LayerCacheTest {
    private static final String WHITEOUTS = "example.test/app:whiteouts";
    private static final String B = "example.test/app:b";
    private static final String C = "example.test/app:c";

    @TempDir
    Path tmp;

    private OciLayoutBuilder layout;
    private OciLayoutBuilder.Image imageC;
    private ImageService images;

    @BeforeEach
    void importImages() {
        layout = new OciLayoutBuilder(tmp.resolve("layout"));
        var base = layout.tarLayer(Compression.GZIP, WhiteoutLayers.base());
        var whiteouts = layout.image(Platform.host(), List.of(base, layout.tarLayer(Compression.ZSTD, WhiteoutLayers.whiteouts()),
                layout.tarLayer(Compression.NONE, WhiteoutLayers.recreate())), List.of("/bin/sh"));
        var imageB = layout.image(Platform.host(), List.of(base, layout.tarLayer(Compression.NONE,
                TestLayer.pax().file("srv/b", "plain b").tar())), List.of("/b"));
        imageC = layout.image(Platform.host(), List.of(base, layout.tarLayer(Compression.ZSTD,
                TestLayer.pax().file("srv/c", "zstd c, twenty bytes").tar())), List.of("/c"));
        layout.tag("whiteouts", whiteouts.manifest()).tag("b", imageB.manifest()).tag("c", imageC.manifest()).finish();
        images = open(new ImageStore(tmp.resolve("store")));
    }

    private ImageService open(ImageStore store) {
        var service = new ImageService(store, CredentialResolver.none(), RegistryOptions.defaults());
        for (String ref : List.of(WHITEOUTS, B, C)) {
            service.importOciLayout(layout.dir(), ref);
        }
        return service;
    }

    @AfterEach
    void close() {
        images.close();
    }

    private LayerCache cache() {
        return images.store().layerCache();
    }

    private Path layerPath(String ref, int index) {
        return tmp.resolve("store/layers/sha256").resolve(images.find(ref).orElseThrow().layers().get(index).digest().hex());
    }

    @Test
    void layerDirsAreUnpackedOncePerDigestAndSharedBetweenImages() throws IOException {
        List<Path> b = images.layerDirs(B);
        Object baseInode = Files.getAttribute(b.get(0), "unix:ino");

        List<Path> again = images.layerDirs(B);
        List<Path> c = images.layerDirs(C);

        assertThat(b).containsExactly(layerPath(B, 0), layerPath(B, 1));
        assertThat(again).isEqualTo(b);
        assertThat(c).containsExactly(b.get(0), layerPath(C, 1));
        assertThat(cache().unpacks()).isEqualTo(3); // base, b's layer, c's layer: base not again
        assertThat(Files.getAttribute(b.get(0), "unix:ino")).isEqualTo(baseInode);
        assertThat(FileTreeView.of(b.get(1))).containsExactlyInAnyOrderEntriesOf(Map.of("srv", "dir", "srv/b", "file:plain b"));
        assertThat(FileTreeView.of(b.get(0))).containsEntry("etc/keep", "file:keep").containsEntry("tmp/x", "file:x");
        assertThat(tmp.resolve("store/layers/ingest")).isEmptyDirectory();
    }

    @Test
    void concurrentCallersUnpackEachLayerOnce() throws Exception {
        var results = new ArrayList<Future<List<Path>>>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 16; i++) {
                results.add(threads.submit((Callable<List<Path>>) () -> images.layerDirs(B)));
            }
        }

        for (var result : results) {
            assertThat(result.get()).containsExactly(layerPath(B, 0), layerPath(B, 1));
        }
        assertThat(cache().unpacks()).isEqualTo(2);
        assertThat(tmp.resolve("store/layers/ingest")).isEmptyDirectory();
    }

    @Test
    void whiteoutsInALayerDirAreOverlayWhiteouts() throws Exception {
        assumeTrue(TestUnpackers.canMakeOverlayWhiteouts(), "needs root and setfattr");

        List<Path> dirs = images.layerDirs(WHITEOUTS);

        assertThat(FileTreeView.of(dirs.get(1))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "app", "dir", "app/old", "dir", "app/old/c", "file:c from layer 2",
                "etc", "dir", "etc/gone", "char:0/0", "tmp", "dir", "tmp/x", "char:0/0"));
        assertThat(opaque(dirs.get(1).resolve("app/old"))).isEqualTo("y");
        assertThat(opaque(dirs.get(1).resolve("etc"))).isNull();
        assertThat(FileTreeView.of(dirs.get(2))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "etc", "dir", "etc/gone", "file:gone, then back in layer 3"));
    }

    @Test
    void overlayMountOfTheLayerDirsIsTheFlattenedImage() throws IOException {
        assumeTrue(TestUnpackers.canMakeOverlayWhiteouts() && OverlayMount.possibleIn(tmp), "needs root and overlayfs");
        Path rootfs = Files.createDirectory(tmp.resolve("flat"));
        for (Descriptor layer : images.find(WHITEOUTS).orElseThrow().layers()) {
            try (InputStream in = images.store().blobs().open(layer.digest())) {
                new LayerUnpacker().applyLayer(rootfs, in, layer.mediaType(), layer.digest().toString());
            }
        }
        Path mountPoint;

        try (var mount = OverlayMount.mount(images.layerDirs(WHITEOUTS), tmp.resolve("overlay"))) {
            mountPoint = mount.root();
            assertThat(OverlayMount.mounted(mountPoint)).isTrue();
            assertThat(FileTreeView.of(mount.root())).containsExactlyInAnyOrderEntriesOf(WhiteoutLayers.FLATTENED);
        }

        assertThat(FileTreeView.of(rootfs)).containsExactlyInAnyOrderEntriesOf(WhiteoutLayers.FLATTENED);
        assertThat(OverlayMount.mounted(mountPoint)).isFalse();
    }

    @Test
    void withoutOverlayWhiteoutsTheCallerIsToldToFlattenAndNoDirectoryIsLeft() throws IOException {
        images.close();
        images = open(new ImageStore(tmp.resolve("store"), TestUnpackers.unprivileged()));

        for (int attempt = 0; attempt < 2; attempt++) {
            assertThatThrownBy(() -> images.layerDirs(WHITEOUTS))
                    .isInstanceOf(BerthException.class)
                    .satisfies(e -> assertThat(((BerthException) e).code()).isEqualTo(ErrorCode.UNSUPPORTED))
                    .hasMessageContaining("layer " + images.find(WHITEOUTS).orElseThrow().layers().get(1).digest())
                    .hasMessageEndingWith("flatten the layers instead");
        }

        assertThat(cache().unpacks()).isEqualTo(1); // the base layer, once; the refusal is remembered
        assertThat(layerPath(WHITEOUTS, 0)).isDirectory();
        assertThat(layerPath(WHITEOUTS, 1)).doesNotExist();
        assertThat(tmp.resolve("store/layers/ingest")).isEmptyDirectory();
        assertThat(images.layerDirs(B)).hasSize(2); // images without whiteouts still stack
    }

    @Test
    void corruptLayerBlobLeavesNoLayerDirectory() throws IOException {
        Descriptor layer = images.find(B).orElseThrow().layers().get(1);
        Path dir = layerPath(B, 1);
        Path blob = images.store().blobs().path(layer.digest());
        byte[] bytes = Files.readAllBytes(blob);
        String tar = new String(bytes, StandardCharsets.ISO_8859_1).replace("plain b", "plain X");
        Files.write(blob, tar.getBytes(StandardCharsets.ISO_8859_1)); // same size, still a valid tar

        assertThatThrownBy(() -> images.layerDirs(B))
                .isInstanceOf(BerthException.class)
                .hasMessageContaining(layer.digest().toString())
                .hasMessageContaining("corrupt");

        assertThat(dir).doesNotExist();
        assertThat(tmp.resolve("store/layers/ingest")).isEmptyDirectory();
    }

    @Test
    void pruneRemovesLayerDirsNoNamedImageUsesAndKeepsSharedOnes() throws IOException {
        List<Path> b = images.layerDirs(B);
        List<Path> c = images.layerDirs(C);
        Path crashed = Files.createDirectories(tmp.resolve("store/layers/ingest/0123-crashed/etc"));
        Files.writeString(crashed.resolve("partial"), "12345"); // what an unpack killed midway leaves
        images.remove(C);
        long cBlobs = imageC.manifest().size() + layout.blob(imageC.config()).length + imageC.layers().get(1).descriptor().size();

        PruneResult result = images.prune();

        assertThat(result).isEqualTo(new PruneResult(3, cBlobs + "zstd c, twenty bytes".length() + "12345".length(), 1));
        assertThat(c.get(1)).doesNotExist();
        assertThat(b.get(0)).isEqualTo(c.get(0)).isDirectory();
        assertThat(b.get(1)).isDirectory();
        assertThat(tmp.resolve("store/layers/ingest")).isEmptyDirectory();
        assertThat(images.layerDirs(B)).isEqualTo(b);
        assertThat(cache().unpacks()).isEqualTo(3);
        assertThat(images.prune()).isEqualTo(new PruneResult(0, 0, 0));
    }

    private static String opaque(Path dir) throws Exception {
        Process p = new ProcessBuilder("getfattr", "--absolute-names", "--only-values", "-n", "trusted.overlay.opaque", dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] value = p.getInputStream().readAllBytes();
        return p.waitFor() == 0 ? new String(value, StandardCharsets.UTF_8) : null;
    }
}
