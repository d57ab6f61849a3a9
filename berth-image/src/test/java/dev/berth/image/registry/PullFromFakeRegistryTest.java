package dev.berth.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.Credentials;
import dev.berth.api.spec.PullPolicy;
import dev.berth.image.ImageService;
import dev.berth.image.ref.Digest;
import dev.berth.image.ref.Platform;
import dev.berth.image.store.ImageStore;
import dev.berth.image.store.MediaTypes;
import dev.berth.image.store.StoredImage;
import dev.berth.image.testing.FakeRegistry;
import dev.berth.image.testing.OciLayoutBuilder;
import dev.berth.image.testing.OciLayoutBuilder.Compression;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pull behaviour a real registry cannot show on demand: tokens, corruption, cuts, redirects, counts. */
class PullFromFakeRegistryTest {
    private static final Platform AMD64 = Platform.parse("linux/amd64");
    private static final Platform ARM64 = Platform.parse("linux/arm64");

    @TempDir
    Path tmp;

    private FakeRegistry registry;
    private ImageService images;
    private OciLayoutBuilder layout;
    private OciLayoutBuilder.Image amd64;
    private OciLayoutBuilder.Image arm64;

    @BeforeEach
    void setUp() {
        registry = FakeRegistry.start();
        layout = new OciLayoutBuilder(tmp.resolve("layout"));
        var shared = layout.textLayer(Compression.GZIP, "etc/os-release", "ID=berth-test\n");
        amd64 = layout.image(AMD64, List.of(shared,
                layout.randomLayer(Compression.ZSTD, "bin/app", 600_000, 1),
                layout.randomLayer(Compression.NONE, "data/blob", 300_000, 2),
                layout.randomLayer(Compression.GZIP, "data/more", 700_000, 3)), List.of("/bin/app", "--serve"));
        arm64 = layout.image(ARM64, List.of(shared, layout.randomLayer(Compression.GZIP, "bin/app", 200_000, 4)),
                List.of("/bin/app-arm"));
        var index = layout.index(List.of(amd64, arm64));
        registry.serve("team/app", "1", layout.dir(), index.digest());
        registry.serve("team/single", "1", layout.dir(), amd64.manifest().digest());
        images = service(4);
    }

    private ImageService service(int concurrency) {
        return new ImageService(new ImageStore(tmp.resolve("store")), CredentialResolver.none(),
                RegistryOptions.defaults().withMaxConcurrentDownloads(concurrency));
    }

    @AfterEach
    void tearDown() {
        images.close();
        registry.close();
    }

    private String ref(String repo) {
        return registry.address() + "/" + repo;
    }

    @Test
    void pullSelectsThePlatformFromTheIndexAndStoresVerifiedBlobs() throws IOException {
        StoredImage image = images.pull(ref("team/app:1"), PullPolicy.ALWAYS, null, AMD64, null);

        assertThat(image.manifestDigest()).isEqualTo(amd64.manifest().digest());
        assertThat(image.configDigest()).isEqualTo(amd64.config());
        assertThat(image.layers()).extracting(d -> d.mediaType()).containsExactly(MediaTypes.OCI_LAYER_GZIP,
                MediaTypes.OCI_LAYER_ZSTD, MediaTypes.OCI_LAYER, MediaTypes.OCI_LAYER_GZIP);
        assertThat(image.config().cmd()).containsExactly("/bin/app", "--serve");
        assertThat(image.config().env()).contains("BERTH_TEST=1");
        assertThat(image.config().workingDir()).isEqualTo("/work");
        assertThat(image.config().user()).isEqualTo("1000:1000");
        assertThat(image.config().exposedPorts()).containsExactly("8080/tcp");
        for (var layer : amd64.layers()) {
            Digest digest = layer.descriptor().digest();
            assertThat(Files.readAllBytes(images.store().blobs().path(digest))).isEqualTo(layout.blob(digest));
        }
        StoredImage arm = images.pull(ref("team/app:1"), PullPolicy.ALWAYS, null, ARM64, null);
        assertThat(arm.manifestDigest()).isEqualTo(arm64.manifest().digest());
        assertThat(arm.config().cmd()).containsExactly("/bin/app-arm");
    }

    @Test
    void platformMissingFromTheIndexIsAClearError() {
        assertThatThrownBy(() -> images.pull(ref("team/app:1"), PullPolicy.ALWAYS, null, Platform.parse("linux/s390x"), null))
                .isInstanceOf(BerthException.class)
                .hasMessageContaining("no manifest for platform linux/s390x")
                .hasMessageContaining("linux/amd64, linux/arm64")
                .extracting(e -> ((BerthException) e).code()).isEqualTo(ErrorCode.IMAGE_NOT_FOUND);
    }

    @Test
    void pullByDigestVerifiesTheManifestDigest() {
        String byDigest = ref("team/single@" + amd64.manifest().digest());
        StoredImage image = images.pull(byDigest, PullPolicy.ALWAYS, null, AMD64, null);
        assertThat(image.manifestDigest()).isEqualTo(amd64.manifest().digest());

        // A registry answering a digest request with other content is caught.
        String wrong = ref("team/single@sha256:" + "0".repeat(64));
        registry.serve("team/single", "sha256:" + "0".repeat(64), layout.dir(), amd64.manifest().digest());
        assertThatThrownBy(() -> images.pull(wrong, PullPolicy.ALWAYS, null, AMD64, null))
                .isInstanceOf(BerthException.class);
    }

    @Test
    void bearerFlowFetchesOneTokenPerScopeUsingBasicCredentialsAtTheRealm() {
        registry.bearer = true;
        registry.realmUser = "alice";
        registry.realmPassword = "s3cret-pass";
        var credentials = Credentials.basic("alice", "s3cret-pass", null);

        images.pull(ref("team/app:1"), PullPolicy.ALWAYS, credentials, AMD64, null);

        assertThat(registry.tokenScopes).containsExactly("repository:team/app:pull");
        var afterFirst = registry.requests.stream().filter(r -> r.path().startsWith("/v2/")).skip(1).toList();
        assertThat(afterFirst).allSatisfy(r -> assertThat(r.authorization()).startsWith("Bearer tok-"));
    }

    @Test
    void rejectedCredentialsFailWithoutRevealingThem() {
        registry.bearer = true;
        registry.realmUser = "alice";
        registry.realmPassword = "right-password";
        var wrong = Credentials.basic("alice", "wrong-password-123", null);

        assertThatThrownBy(() -> images.pull(ref("team/app:1"), PullPolicy.ALWAYS, wrong, AMD64, null))
                .isInstanceOf(BerthException.class)
                .hasMessageContaining("rejected the credentials")
                .satisfies(e -> assertThat(stackText(e)).doesNotContain("wrong-password-123")
                        .doesNotContain("YWxpY2U6d3JvbmctcGFzc3dvcmQtMTIz"));
        assertThat(wrong.toString()).doesNotContain("wrong-password-123");
        assertThat(images.toString()).doesNotContain("wrong-password-123");
    }

    @Test
    void digestMismatchDeletesThePartialBlobAndFails() {
        Digest bad = amd64.layers().get(1).descriptor().digest();
        registry.corrupt.add(bad.toString());

        assertThatThrownBy(() -> images.pull(ref("team/single:1"), PullPolicy.ALWAYS, null, AMD64, null))
                .isInstanceOf(BerthException.class)
                .hasMessageContaining("digest mismatch")
                .hasMessageContaining(bad.toString());
        assertThat(images.store().blobs().partial(bad)).doesNotExist();
        assertThat(images.store().blobs().contains(bad)).isFalse();
        assertThat(images.find(ref("team/single:1"))).isEmpty();
    }

    @Test
    void cutConnectionIsResumedWithARangeRequest() throws IOException {
        Digest cut = amd64.layers().get(3).descriptor().digest();
        registry.cutOnce.add(cut.toString());

        images.pull(ref("team/single:1"), PullPolicy.ALWAYS, null, AMD64, null);

        var gets = registry.blobGets().stream().filter(r -> r.path().endsWith(cut.toString())).toList();
        assertThat(gets).hasSize(2);
        assertThat(gets.get(0).range()).isNull();
        assertThat(gets.get(1).range()).matches("bytes=[1-9][0-9]*-");
        assertThat(Files.readAllBytes(images.store().blobs().path(cut))).isEqualTo(layout.blob(cut));
    }

    @Test
    void stalledTransferIsAbandonedAndResumed() throws IOException {
        images.close();
        images = new ImageService(new ImageStore(tmp.resolve("store")), CredentialResolver.none(),
                RegistryOptions.defaults().withStallTimeout(java.time.Duration.ofMillis(500)));
        Digest stalled = amd64.layers().get(1).descriptor().digest();
        registry.stallOnce.add(stalled.toString());

        images.pull(ref("team/single:1"), PullPolicy.ALWAYS, null, AMD64, null);

        var gets = registry.blobGets().stream().filter(r -> r.path().endsWith(stalled.toString())).toList();
        assertThat(gets).hasSize(2);
        assertThat(gets.get(1).range()).isEqualTo("bytes=" + layout.blob(stalled).length / 2 + "-");
        assertThat(Files.readAllBytes(images.store().blobs().path(stalled))).isEqualTo(layout.blob(stalled));
    }

    @Test
    void partialDownloadLeftByAnEarlierRunIsResumed() throws IOException {
        Digest layer = amd64.layers().get(1).descriptor().digest();
        byte[] content = layout.blob(layer);
        Files.write(images.store().blobs().partial(layer), Arrays.copyOf(content, 250_000));
        var events = new CopyOnWriteArrayList<PullEvent>();

        images.pull(ref("team/single:1"), PullPolicy.ALWAYS, null, AMD64, events::add);

        var gets = registry.blobGets().stream().filter(r -> r.path().endsWith(layer.toString())).toList();
        assertThat(gets).singleElement().extracting(FakeRegistry.Request::range).isEqualTo("bytes=250000-");
        assertThat(events).filteredOn(e -> e.digest().equals(layer) && e.state() == LayerState.DOWNLOADING)
                .first().extracting(PullEvent::bytes).isEqualTo(250_000L);
        assertThat(Files.readAllBytes(images.store().blobs().path(layer))).isEqualTo(content);
        assertThat(images.store().blobs().partial(layer)).doesNotExist();
    }

    @Test
    void registryIgnoringTheRangeStartsOver() throws IOException {
        registry.ignoreRange = true;
        Digest layer = amd64.layers().get(1).descriptor().digest();
        byte[] content = layout.blob(layer);
        Files.write(images.store().blobs().partial(layer), Arrays.copyOf(content, 100_000));

        images.pull(ref("team/single:1"), PullPolicy.ALWAYS, null, AMD64, null);

        assertThat(Files.readAllBytes(images.store().blobs().path(layer))).isEqualTo(content);
    }

    @Test
    void redirectedBlobDownloadsCarryNoCredentials() {
        registry.bearer = true;
        registry.redirectBlobs = true;

        images.pull(ref("team/single:1"), PullPolicy.ALWAYS, null, AMD64, null);

        var storage = registry.requests.stream().filter(r -> r.path().startsWith("/storage/")).toList();
        assertThat(storage).hasSize(5); // config + 4 layers
        assertThat(storage).allSatisfy(r -> assertThat(r.authorization()).isNull());
    }

    @Test
    void layersDownloadConcurrentlyWithinTheLimitAndReportEachState() {
        images.close();
        images = service(2);
        registry.blobChunkDelayMillis = 3;
        Map<Digest, List<LayerState>> states = new ConcurrentHashMap<>();

        images.pull(ref("team/single:1"), PullPolicy.ALWAYS, null, AMD64,
                e -> states.computeIfAbsent(e.digest(), d -> new CopyOnWriteArrayList<>()).add(e.state()));

        assertThat(registry.maxActiveBlobGets.get()).isEqualTo(2);
        assertThat(states).hasSize(4);
        states.values().forEach(list -> {
            var distinct = new ArrayList<LayerState>();
            list.forEach(s -> {
                if (distinct.isEmpty() || distinct.getLast() != s) {
                    distinct.add(s);
                }
            });
            assertThat(distinct).containsExactly(LayerState.WAITING, LayerState.DOWNLOADING, LayerState.VERIFYING,
                    LayerState.DONE);
        });
    }

    @Test
    void warmRepullTransfersNoBlobAndIsFast() {
        images.pull(ref("team/app:1"), PullPolicy.ALWAYS, null, AMD64, null);
        registry.requests.clear();
        var events = new CopyOnWriteArrayList<PullEvent>();

        long start = System.nanoTime();
        StoredImage ifNotPresent = images.pull(ref("team/app:1"), PullPolicy.IF_NOT_PRESENT, null, AMD64, events::add);
        long ifNotPresentMicros = (System.nanoTime() - start) / 1000;
        assertThat(registry.requests).isEmpty();

        start = System.nanoTime();
        StoredImage always = images.pull(ref("team/app:1"), PullPolicy.ALWAYS, null, AMD64, events::add);
        long alwaysMicros = (System.nanoTime() - start) / 1000;

        assertThat(registry.blobGets()).isEmpty();
        assertThat(registry.requests).extracting(FakeRegistry.Request::method).containsOnly("HEAD");
        assertThat(registry.requests).hasSize(1);
        assertThat(always.manifestDigest()).isEqualTo(ifNotPresent.manifestDigest());
        assertThat(events).extracting(PullEvent::state).containsOnly(LayerState.CACHED);
        System.out.printf("warm re-pull (fake registry): IF_NOT_PRESENT %d us, ALWAYS %d us%n", ifNotPresentMicros, alwaysMicros);
        assertThat(ifNotPresentMicros).isLessThanOrEqualTo(50_000);
        assertThat(alwaysMicros).isLessThanOrEqualTo(50_000);
    }

    @Test
    void alwaysRepullsWhenTheTagMoved() {
        images.pull(ref("team/single:1"), PullPolicy.ALWAYS, null, AMD64, null);
        registry.serve("team/single", "1", layout.dir(), arm64.manifest().digest());

        StoredImage moved = images.pull(ref("team/single:1"), PullPolicy.ALWAYS, null, AMD64, null);

        assertThat(moved.manifestDigest()).isEqualTo(arm64.manifest().digest());
        // The shared first layer was not fetched again.
        Digest shared = amd64.layers().getFirst().descriptor().digest();
        assertThat(registry.blobGets().stream().filter(r -> r.path().endsWith(shared.toString()))).hasSize(1);
    }

    @Test
    void neverPolicyWithAMissingImageFailsWithImageNotFound() {
        assertThatThrownBy(() -> images.pull(ref("team/app:1"), PullPolicy.NEVER, null, AMD64, null))
                .isInstanceOf(BerthException.class)
                .hasMessageContaining(ref("team/app:1"))
                .hasMessageContaining("pull policy is Never")
                .extracting(e -> ((BerthException) e).code()).isEqualTo(ErrorCode.IMAGE_NOT_FOUND);
        assertThat(registry.requests).isEmpty();
    }

    @Test
    void unknownTagIsImageNotFound() {
        assertThatThrownBy(() -> images.pull(ref("team/app:nope"), PullPolicy.ALWAYS, null, AMD64, null))
                .isInstanceOf(BerthException.class)
                .hasMessageContaining("MANIFEST_UNKNOWN")
                .extracting(e -> ((BerthException) e).code()).isEqualTo(ErrorCode.IMAGE_NOT_FOUND);
    }

    @Test
    void unreachableRegistryGivesOneClearError() throws IOException {
        int port;
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        int closedPort = port;
        assertThatThrownBy(() -> images.pull("127.0.0.1:" + closedPort + "/app:1", PullPolicy.ALWAYS, null, AMD64, null))
                .isInstanceOf(BerthException.class)
                .hasMessage("registry 127.0.0.1:" + closedPort + " is unreachable (host 127.0.0.1, port " + closedPort
                        + "): connection refused")
                .extracting(e -> ((BerthException) e).code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE);
    }

    private static String stackText(Throwable e) {
        var out = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            out.append(t).append('\n');
            for (Throwable s : t.getSuppressed()) {
                out.append(s).append('\n');
            }
        }
        return out.toString();
    }
}
