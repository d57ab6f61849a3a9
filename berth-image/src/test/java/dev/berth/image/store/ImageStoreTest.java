package dev.berth.image.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.spec.PullPolicy;
import dev.berth.image.ImageService;
import dev.berth.image.ref.Digest;
import dev.berth.image.ref.Platform;
import dev.berth.image.registry.CredentialResolver;
import dev.berth.image.registry.RegistryOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageStoreTest {
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

    private Path rootfs(String name, int randomBytes) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name).resolve("etc"));
        Files.writeString(dir.resolve("name"), name);
        byte[] data = new byte[randomBytes];
        new Random(name.hashCode()).nextBytes(data);
        Files.write(dir.resolve("data"), data);
        return tmp.resolve(name);
    }

    @Test
    void blobsAreStoredByDigestAndVerifiedOnWrite() throws IOException {
        BlobStore blobs = images.store().blobs();
        byte[] content = "hello blob".getBytes(StandardCharsets.UTF_8);
        Digest digest = blobs.write(content);

        assertThat(blobs.path(digest)).isEqualTo(tmp.resolve("store/blobs/sha256").resolve(digest.hex()));
        assertThat(blobs.read(digest, 1024)).isEqualTo(content);
        Digest other = Digest.sha256("other".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> blobs.write(new ByteArrayInputStream(content), other, content.length))
                .isInstanceOf(IOException.class).hasMessageContaining("digest mismatch");
        assertThat(blobs.contains(other)).isFalse();
        try (var leftovers = Files.list(tmp.resolve("store/ingest"))) {
            assertThat(leftovers).isEmpty();
        }
    }

    @Test
    void corruptBlobIsDetectedWhileStreamingAndRemoved() throws IOException {
        BlobStore blobs = images.store().blobs();
        Digest digest = blobs.write("original content".getBytes(StandardCharsets.UTF_8));
        Files.writeString(blobs.path(digest), "tampered content");

        assertThatThrownBy(() -> {
            try (var in = blobs.open(digest)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("corrupt").hasMessageContaining(digest.toString());
        assertThat(blobs.contains(digest)).isFalse();
    }

    @Test
    void pruneFreesOnlyBlobsNoNamedImageUses() throws IOException {
        var keep = images.importRootfs(rootfs("keep", 10_000), "example.test/keep:1", List.of());
        var drop = images.importRootfs(rootfs("drop", 200_000), "example.test/drop:1", List.of());
        images.tag("example.test/keep:1", "example.test/keep:alias");

        assertThat(images.prune()).isEqualTo(new PruneResult(0, 0));
        assertThat(images.remove("example.test/drop:1")).isTrue();
        assertThat(images.remove("example.test/drop:1")).isFalse();
        long dropBytes = Files.size(images.store().blobs().path(drop.manifestDigest())) + drop.size();

        PruneResult result = images.prune();

        assertThat(result.blobsRemoved()).isEqualTo(3); // manifest, config, layer
        assertThat(result.bytesFreed()).isEqualTo(dropBytes);
        assertThat(images.store().blobs().contains(drop.layers().getFirst().digest())).isFalse();
        assertThat(images.find("example.test/keep:1")).get().extracting(StoredImage::manifestDigest)
                .isEqualTo(keep.manifestDigest());
        assertThat(images.prune().blobsRemoved()).isZero();
    }

    @Test
    void findByIdListTagAndRemoveByName() throws IOException {
        var image = images.importRootfs(rootfs("one", 100), "example.test/one:1", List.of());
        images.tag("example.test/one:1", "other.test/two:latest");

        assertThat(images.list()).extracting(i -> i.reference().toString())
                .containsExactlyInAnyOrder("example.test/one:1", "other.test/two:latest");
        assertThat(images.find(image.id().toString())).get().extracting(StoredImage::configDigest).isEqualTo(image.id());
        assertThat(images.find(image.id().shortHex())).isPresent();
        assertThat(images.find("other.test/two")).isPresent();
        assertThat(images.remove(image.id().toString())).isTrue();
        assertThat(images.list()).isEmpty();
    }

    @Test
    void neverPolicyUsesTheStoreWithoutARegistry() throws IOException {
        images.importRootfs(rootfs("local", 100), "127.0.0.1:1/local:1", List.of());

        assertThat(images.pull("127.0.0.1:1/local:1", PullPolicy.NEVER, null, Platform.host(), null)).isNotNull();
        assertThat(images.pull("127.0.0.1:1/local:1", PullPolicy.IF_NOT_PRESENT, null, Platform.host(), null)).isNotNull();
        assertThatThrownBy(() -> images.pull("127.0.0.1:1/absent:1", PullPolicy.NEVER, null, null, null))
                .isInstanceOf(BerthException.class)
                .hasMessage("image 127.0.0.1:1/absent:1 is not in the local store and the pull policy is Never;"
                        + " pull or import it first")
                .extracting(e -> ((BerthException) e).code()).isEqualTo(ErrorCode.IMAGE_NOT_FOUND);
    }

    @Test
    void indexFileIsReadableJsonNamingManifests() throws IOException {
        var image = images.importRootfs(rootfs("idx", 100), "example.test/idx:1", List.of());
        String index = Files.readString(tmp.resolve("store/index.json"));
        assertThat(index).contains("\"name\" : \"example.test/idx:1\"").contains(image.manifestDigest().toString());
    }
}
