package dev.berth.api.spec;

import static dev.berth.api.spec.Rejections.invalidSpec;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImageRefTest {
    private static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

    @Test
    void bareNameHasNoRegistryAndDefaultsToLatest() {
        ImageRef ref = ImageRef.parse("busybox");

        assertThat(ref).isEqualTo(new ImageRef(null, "busybox", null, null));
        assertThat(ref.tagOrDefault()).isEqualTo("latest");
        assertThat(ref.name()).isEqualTo("busybox");
    }

    @Test
    void registryWithPortRepositoryAndTagAreSplit() {
        ImageRef ref = ImageRef.parse("127.0.0.1:5000/app:1.2");

        assertThat(ref).isEqualTo(new ImageRef("127.0.0.1:5000", "app", "1.2", null));
        assertThat(ref.tagOrDefault()).isEqualTo("1.2");
        assertThat(ref.name()).isEqualTo("127.0.0.1:5000/app");
        assertThat(ref).hasToString("127.0.0.1:5000/app:1.2");
    }

    @Test
    void digestWithoutTagHasNoDefaultTag() {
        ImageRef ref = ImageRef.parse("localhost:5000/a/b@" + DIGEST);

        assertThat(ref).isEqualTo(new ImageRef("localhost:5000", "a/b", null, DIGEST));
        assertThat(ref.tagOrDefault()).isNull();
        assertThat(ref).hasToString("localhost:5000/a/b@" + DIGEST);
    }

    @Test
    void tagAndDigestTogetherAreBothKept() {
        ImageRef ref = ImageRef.parse("app:1@" + DIGEST);

        assertThat(ref.tag()).isEqualTo("1");
        assertThat(ref.digest()).isEqualTo(DIGEST);
        assertThat(ref.tagOrDefault()).isEqualTo("1");
    }

    @Test
    void firstComponentIsARegistryOnlyWhenItLooksLikeAHost() {
        assertThat(ImageRef.parse("library/busybox").registry()).isNull();
        assertThat(ImageRef.parse("library/busybox").repository()).isEqualTo("library/busybox");
        assertThat(ImageRef.parse("localhost/app").registry()).isEqualTo("localhost");
        assertThat(ImageRef.parse("docker.io/library/busybox:1.36").registry()).isEqualTo("docker.io");
        assertThat(ImageRef.parse("[::1]:5000/app").registry()).isEqualTo("[::1]:5000");
    }

    @Test
    void uppercaseRepositoryIsRejectedNamingTheField() {
        var e = invalidSpec(() -> ImageRef.parse("from", "Busybox"));

        assertThat(e.field()).isEqualTo("from");
        assertThat(e.getMessage()).contains("'Busybox'", "lowercase repository");
    }

    @Test
    void badDigestIsRejectedSayingWhatADigestLooksLike() {
        assertThat(invalidSpec(() -> ImageRef.parse("app@sha256:nothex")).getMessage()).contains("sha256:<hex>");
    }

    @Test
    void badRegistryHostIsRejected() {
        assertThat(invalidSpec(() -> ImageRef.parse("bad_host.io:5000/app")).getMessage()).contains("registry host");
    }
}
