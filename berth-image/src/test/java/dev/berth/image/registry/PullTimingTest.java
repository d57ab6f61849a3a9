package dev.berth.image.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.spec.PullPolicy;
import dev.berth.image.ImageService;
import dev.berth.image.ref.Platform;
import dev.berth.image.store.ImageStore;
import dev.berth.image.store.StoredImage;
import dev.berth.image.testing.LocalRegistry;
import dev.berth.image.testing.OciLayoutBuilder;
import dev.berth.image.testing.OciLayoutBuilder.Compression;
import dev.berth.image.testing.Processes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cold pull of an 80 MB, 5-layer image from 127.0.0.1:5000 by Berth and by skopeo in the same
 * run, then warm re-pulls. Timings go to the test output; the assertions are about correctness.
 */
class PullTimingTest {
    private static final int LAYER_BYTES = 16 * 1024 * 1024;

    @TempDir
    Path tmp;

    @Test
    void coldPullOfAFiveLayerImageComparedWithSkopeo() {
        LocalRegistry.ensureRunning();
        var layout = new OciLayoutBuilder(tmp.resolve("layout"));
        var image = layout.image(Platform.host(), List.of(
                layout.randomLayer(Compression.GZIP, "l1", LAYER_BYTES, 21),
                layout.randomLayer(Compression.GZIP, "l2", LAYER_BYTES, 22),
                layout.randomLayer(Compression.ZSTD, "l3", LAYER_BYTES, 23),
                layout.randomLayer(Compression.NONE, "l4", LAYER_BYTES, 24),
                layout.randomLayer(Compression.NONE, "l5", LAYER_BYTES, 25)), List.of("/l1"));
        layout.tag("1", image.manifest()).finish();
        String ref = LocalRegistry.ADDRESS + "/" + LocalRegistry.uniqueRepository("timing") + ":1";
        LocalRegistry.skopeoPush(layout.dir(), "1", ref, false);

        try (var images = new ImageService(new ImageStore(tmp.resolve("store")), CredentialResolver.none(),
                RegistryOptions.defaults())) {
            long start = System.nanoTime();
            StoredImage pulled = images.pull(ref, PullPolicy.ALWAYS, null, null, null);
            long berthMs = (System.nanoTime() - start) / 1_000_000;

            start = System.nanoTime();
            Processes.runOrFail(Duration.ofMinutes(2), List.of("skopeo", "copy", "--quiet", "--src-tls-verify=false",
                    "docker://" + ref, "oci:" + tmp.resolve("skopeo-out") + ":1"));
            long skopeoMs = (System.nanoTime() - start) / 1_000_000;

            long secondMs;
            try (var second = new ImageService(new ImageStore(tmp.resolve("store2")), CredentialResolver.none(),
                    RegistryOptions.defaults())) {
                start = System.nanoTime();
                second.pull(ref, PullPolicy.ALWAYS, null, null, null);
                secondMs = (System.nanoTime() - start) / 1_000_000;
            }

            start = System.nanoTime();
            images.pull(ref, PullPolicy.ALWAYS, null, null, null);
            long warmAlwaysUs = (System.nanoTime() - start) / 1000;
            start = System.nanoTime();
            images.pull(ref, PullPolicy.IF_NOT_PRESENT, null, null, null);
            long warmIfNotPresentUs = (System.nanoTime() - start) / 1000;

            System.out.printf("cold pull %d MB / 5 layers: berth %d ms (second cold pull, warm JIT: %d ms), skopeo %d ms;"
                    + " warm re-pull ALWAYS %d us, IF_NOT_PRESENT %d us%n", pulled.size() / (1024 * 1024), berthMs,
                    secondMs, skopeoMs, warmAlwaysUs, warmIfNotPresentUs);
            assertThat(pulled.manifestDigest()).isEqualTo(image.manifest().digest());
            assertThat(pulled.layers()).hasSize(5);
        }
    }
}
