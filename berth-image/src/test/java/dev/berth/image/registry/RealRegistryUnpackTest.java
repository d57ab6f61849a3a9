package dev.berth.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.spec.PullPolicy;
import dev.berth.image.ImageService;
import dev.berth.image.ref.Platform;
import dev.berth.image.store.Descriptor;
import dev.berth.image.store.ImageStore;
import dev.berth.image.store.MediaTypes;
import dev.berth.image.store.StoredImage;
import dev.berth.image.testing.FileTreeView;
import dev.berth.image.testing.LocalRegistry;
import dev.berth.image.testing.OciLayoutBuilder;
import dev.berth.image.testing.OciLayoutBuilder.Compression;
import dev.berth.image.testing.OverlayMount;
import dev.berth.image.testing.WhiteoutLayers;
import dev.berth.image.unpack.LayerUnpacker;
import dev.berth.image.unpack.TestLayer;
import dev.berth.image.unpack.TestUnpackers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * End to end through the real registry on 127.0.0.1:5000: images built here, pushed with skopeo,
 * pulled by Berth into a fresh store, then flattened as the engine does (applyLayer per layer) or
 * stacked with overlayfs. The whiteout image is {@link WhiteoutLayers} (gzip, zstd, plain); the
 * escape images must pull (blobs are data) and then refuse to unpack.
 *
 * <p>Safety: the rootfs is {@code tmp/deep/a/b/rootfs}, so even a broken unpacker following
 * {@code ../x} or {@code ../../x} would land inside the temp dir, where the checks look.
 */
class RealRegistryUnpackTest {
    private static final Platform AMD64 = Platform.parse("linux/amd64");

    @TempDir
    static Path shared;
    @TempDir
    Path tmp;

    private static String repository;
    private static OciLayoutBuilder layout;
    private static OciLayoutBuilder.Image whiteouts;

    @BeforeAll
    static void pushTestImages() {
        LocalRegistry.ensureRunning();
        repository = LocalRegistry.uniqueRepository("unpack");
        layout = new OciLayoutBuilder(shared.resolve("layout"));
        whiteouts = layout.image(AMD64, List.of(layout.tarLayer(Compression.GZIP, WhiteoutLayers.base()),
                layout.tarLayer(Compression.ZSTD, WhiteoutLayers.whiteouts()),
                layout.tarLayer(Compression.NONE, WhiteoutLayers.recreate())), List.of("/bin/sh"));
        var dotDot = layout.image(AMD64, List.of(layout.tarLayer(Compression.GZIP,
                TestLayer.pax().file("ok", "fine").file("../x", "escaped").tar())), List.of("/x"));
        var hardLink = layout.image(AMD64, List.of(layout.tarLayer(Compression.NONE,
                TestLayer.pax().file("ok", "fine").hardlink("h", "../../x").tar())), List.of("/h"));
        layout.tag("whiteouts", whiteouts.manifest()).tag("dot-dot", dotDot.manifest()).tag("hard-link", hardLink.manifest())
                .finish();
        for (String tag : List.of("whiteouts", "dot-dot", "hard-link")) {
            LocalRegistry.skopeoPush(layout.dir(), tag, ref(tag), false);
        }
    }

    private static String ref(String tag) {
        return LocalRegistry.ADDRESS + "/" + repository + ":" + tag;
    }

    private ImageService service() {
        return new ImageService(new ImageStore(tmp.resolve("store")), CredentialResolver.none(), RegistryOptions.defaults());
    }

    /** What StoreImages.unpack in the engine does, minus its staging rename. */
    private static void flatten(ImageService images, StoredImage image, Path rootfs) throws IOException {
        var unpacker = new LayerUnpacker();
        for (Descriptor layer : image.layers()) {
            try (InputStream in = images.store().blobs().open(layer.digest())) {
                unpacker.applyLayer(rootfs, in, layer.mediaType(), layer.digest().toString());
            }
        }
    }

    @Test
    void whiteoutsOpaqueDirectoriesAndMixedCompressionFlattenToTheExactTree() throws IOException {
        try (var images = service()) {
            StoredImage image = images.pull(ref("whiteouts"), PullPolicy.ALWAYS, null, AMD64, null);
            Path rootfs = Files.createDirectories(tmp.resolve("deep/a/b/rootfs"));

            flatten(images, image, rootfs);

            assertThat(image.manifestDigest()).isEqualTo(whiteouts.manifest().digest());
            assertThat(image.layers()).extracting(Descriptor::mediaType)
                    .containsExactly(MediaTypes.OCI_LAYER_GZIP, MediaTypes.OCI_LAYER_ZSTD, MediaTypes.OCI_LAYER);
            for (Descriptor layer : image.layers()) {
                assertThat(Files.readAllBytes(images.store().blobs().path(layer.digest()))).isEqualTo(layout.blob(layer.digest()));
            }
            Map<String, String> tree = FileTreeView.of(rootfs);
            assertThat(tree).containsExactlyInAnyOrderEntriesOf(WhiteoutLayers.FLATTENED);
            assertThat(tree.keySet()).noneMatch(path -> path.contains(".wh."));
        }
    }

    @Test
    void pulledLayersStackedWithOverlayfsShowTheSameTree() {
        assumeTrue(TestUnpackers.canMakeOverlayWhiteouts() && OverlayMount.possibleIn(tmp), "needs root and overlayfs");
        try (var images = service()) {
            images.pull(ref("whiteouts"), PullPolicy.ALWAYS, null, AMD64, null);
            Path mountPoint;

            try (var mount = OverlayMount.mount(images.layerDirs(ref("whiteouts")), tmp.resolve("overlay"))) {
                mountPoint = mount.root();
                assertThat(FileTreeView.of(mount.root())).containsExactlyInAnyOrderEntriesOf(WhiteoutLayers.FLATTENED);
            }

            assertThat(OverlayMount.mounted(mountPoint)).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "dot-dot   | entry '../x' refused: '..' component in name",
            "hard-link | entry 'h' refused: hard link target '../../x': '..' component in name"})
    void escapingLayersPullAsDataButRefuseToUnpackAndWriteNothingOutside(String tag, String refusal) throws IOException {
        try (var images = service()) {
            StoredImage image = images.pull(ref(tag), PullPolicy.ALWAYS, null, AMD64, null);
            Descriptor layer = image.layers().getFirst();
            Path rootfs = Files.createDirectories(tmp.resolve("deep/a/b/rootfs"));
            Map<String, String> outside = outsideRootfs();
            String message = "layer " + layer.digest() + ": " + refusal;

            assertThat(Files.readAllBytes(images.store().blobs().path(layer.digest()))).isEqualTo(layout.blob(layer.digest()));
            assertThatThrownBy(() -> flatten(images, image, rootfs))
                    .isInstanceOf(BerthException.class)
                    .satisfies(e -> assertThat(((BerthException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                    .hasMessage(message);
            assertThat(outsideRootfs()).isEqualTo(outside);
            assertThatThrownBy(() -> images.layerDirs(ref(tag)))
                    .isInstanceOf(BerthException.class)
                    .satisfies(e -> assertThat(((BerthException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                    .hasMessage(message);
            assertThat(outsideRootfs()).isEqualTo(outside); // no layer directory, nothing left under layers/ingest
        }
    }

    /** Everything under the temp dir (store included) except the rootfs being unpacked. */
    private Map<String, String> outsideRootfs() {
        var all = new TreeMap<>(FileTreeView.of(tmp));
        all.keySet().removeIf(path -> path.startsWith("deep/a/b/rootfs/"));
        return all;
    }
}
