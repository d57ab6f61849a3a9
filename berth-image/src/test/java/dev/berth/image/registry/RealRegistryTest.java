package dev.berth.image.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.spec.PullPolicy;
import dev.berth.image.ImageService;
import dev.berth.image.ref.Digest;
import dev.berth.image.ref.Platform;
import dev.berth.image.store.ImageStore;
import dev.berth.image.store.StoredImage;
import dev.berth.image.testing.LocalRegistry;
import dev.berth.image.testing.OciLayoutBuilder;
import dev.berth.image.testing.OciLayoutBuilder.Compression;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against the real registry on 127.0.0.1:5000 (anonymous, plain HTTP): images pushed with skopeo and with Berth. */
class RealRegistryTest {
    private static final Platform AMD64 = Platform.parse("linux/amd64");
    private static final Platform ARM64 = Platform.parse("linux/arm64/v8");

    @TempDir
    static Path shared;
    @TempDir
    Path tmp;

    private static String repository;
    private static OciLayoutBuilder layout;
    private static OciLayoutBuilder.Image amd64;
    private static OciLayoutBuilder.Image arm64;
    private static Digest indexDigest;

    @BeforeAll
    static void pushTestImages() {
        LocalRegistry.ensureRunning();
        repository = LocalRegistry.uniqueRepository("multi");
        layout = new OciLayoutBuilder(shared.resolve("layout"));
        amd64 = layout.image(AMD64, List.of(
                layout.textLayer(Compression.GZIP, "etc/hostname", "berth\n"),
                layout.randomLayer(Compression.ZSTD, "bin/tool", 400_000, 11),
                layout.randomLayer(Compression.NONE, "var/data", 900_000, 12)), List.of("/bin/tool"));
        arm64 = layout.image(ARM64, List.of(layout.randomLayer(Compression.GZIP, "bin/tool", 300_000, 13)),
                List.of("/bin/tool-arm"));
        var index = layout.index(List.of(amd64, arm64));
        indexDigest = index.digest();
        layout.tag("1", index).tag("single", amd64.manifest()).finish();
        LocalRegistry.skopeoPush(layout.dir(), "1", LocalRegistry.ADDRESS + "/" + repository + ":1", true);
        LocalRegistry.skopeoPush(layout.dir(), "single", LocalRegistry.ADDRESS + "/" + repository + ":single", false);
    }

    private ImageService service(String store) {
        return new ImageService(new ImageStore(tmp.resolve(store)), CredentialResolver.none(), RegistryOptions.defaults());
    }

    private static String ref(String suffix) {
        return LocalRegistry.ADDRESS + "/" + repository + suffix;
    }

    @Test
    void pullByTagChoosesThePlatformAndStoresExactBlobs() throws IOException {
        try (var images = service("store")) {
            StoredImage image = images.pull(ref(":1"), PullPolicy.ALWAYS, null, AMD64, null);

            assertThat(image.digest()).isEqualTo(indexDigest);
            assertThat(image.manifestDigest()).isEqualTo(amd64.manifest().digest());
            assertThat(image.config().cmd()).containsExactly("/bin/tool");
            for (var layer : amd64.layers()) {
                Digest digest = layer.descriptor().digest();
                assertThat(Files.readAllBytes(images.store().blobs().path(digest))).isEqualTo(layout.blob(digest));
            }
            StoredImage single = images.pull(ref(":single"), PullPolicy.ALWAYS, null, AMD64, null);
            assertThat(single.digest()).isEqualTo(amd64.manifest().digest());
        }
    }

    @Test
    void pullByDigestResolvesTheIndexForAnotherPlatform() {
        try (var images = service("store")) {
            StoredImage image = images.pull(ref("@" + indexDigest), PullPolicy.IF_NOT_PRESENT, null, ARM64, null);

            assertThat(image.manifestDigest()).isEqualTo(arm64.manifest().digest());
            assertThat(image.config().platform()).isEqualTo(ARM64);
            assertThat(image.config().cmd()).containsExactly("/bin/tool-arm");
        }
    }

    @Test
    void pushedImagePullsBackIdentically() {
        String pushed = ref("-copy:2");
        try (var source = service("source"); var target = service("target")) {
            StoredImage original = source.pull(ref(":single"), PullPolicy.ALWAYS, null, AMD64, null);
            source.tag(ref(":single"), pushed);

            PushResult first = source.push(pushed, null);
            PushResult again = source.push(pushed, null);
            StoredImage pulled = target.pull(pushed, PullPolicy.ALWAYS, null, AMD64, null);

            assertThat(first.manifestDigest()).isEqualTo(original.manifestDigest());
            assertThat(first.blobsUploaded()).isEqualTo(4);
            assertThat(again.blobsUploaded()).isZero();
            assertThat(again.blobsSkipped()).isEqualTo(4);
            assertThat(pulled.manifestDigest()).isEqualTo(original.manifestDigest());
            assertThat(pulled.layers()).isEqualTo(original.layers());
        }
    }

    @Test
    void partialDownloadIsResumedWithARangeTheRegistryHonours() throws IOException {
        try (var images = service("store")) {
            Digest big = amd64.layers().get(2).descriptor().digest();
            byte[] content = layout.blob(big);
            Files.write(images.store().blobs().partial(big), Arrays.copyOf(content, 123_456));
            var events = new CopyOnWriteArrayList<PullEvent>();

            images.pull(ref(":single"), PullPolicy.ALWAYS, null, AMD64, events::add);

            assertThat(events).filteredOn(e -> e.digest().equals(big) && e.state() == LayerState.DOWNLOADING)
                    .first().extracting(PullEvent::bytes).isEqualTo(123_456L);
            assertThat(Files.readAllBytes(images.store().blobs().path(big))).isEqualTo(content);
        }
    }

    @Test
    void warmRepullOnlyChecksTheManifest() {
        try (var images = service("store")) {
            images.pull(ref(":1"), PullPolicy.ALWAYS, null, AMD64, null);
            var events = new CopyOnWriteArrayList<PullEvent>();

            long start = System.nanoTime();
            images.pull(ref(":1"), PullPolicy.IF_NOT_PRESENT, null, AMD64, events::add);
            long ifNotPresent = (System.nanoTime() - start) / 1000;
            start = System.nanoTime();
            images.pull(ref(":1"), PullPolicy.ALWAYS, null, AMD64, events::add);
            long always = (System.nanoTime() - start) / 1000;

            System.out.printf("warm re-pull (127.0.0.1:5000): IF_NOT_PRESENT %d us, ALWAYS %d us%n", ifNotPresent, always);
            assertThat(events).extracting(PullEvent::state).containsOnly(LayerState.CACHED);
            assertThat(ifNotPresent).isLessThanOrEqualTo(50_000);
            assertThat(always).isLessThanOrEqualTo(50_000);
        }
    }
}
