package dev.berth.image.ref;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import org.junit.jupiter.api.Test;

class ImageReferenceTest {
    private static final String HEX = "a".repeat(64);

    @Test
    void singleNameGetsDockerHubLibraryAndLatest() {
        var ref = ImageReference.parse("busybox");
        assertThat(ref.registry()).isEqualTo("docker.io");
        assertThat(ref.repository()).isEqualTo("library/busybox");
        assertThat(ref.tag()).isEqualTo("latest");
        assertThat(ref.digest()).isNull();
        assertThat(ref.registryHost()).isEqualTo("registry-1.docker.io");
        assertThat(ref).hasToString("docker.io/library/busybox:latest");
        assertThat(ref.familiar()).isEqualTo("busybox:latest");
    }

    @Test
    void hubAliasesAndUserRepositoriesNormalise() {
        assertThat(ImageReference.parse("index.docker.io/library/alpine:3.20")).hasToString("docker.io/library/alpine:3.20");
        assertThat(ImageReference.parse("docker.io/alpine")).hasToString("docker.io/library/alpine:latest");
        assertThat(ImageReference.parse("someuser/app:1")).hasToString("docker.io/someuser/app:1");
    }

    @Test
    void privateRegistryKeepsHostPortAndPath() {
        var ref = ImageReference.parse("127.0.0.1:5000/team/app:v1.2");
        assertThat(ref.registry()).isEqualTo("127.0.0.1:5000");
        assertThat(ref.registryHost()).isEqualTo("127.0.0.1:5000");
        assertThat(ref.repository()).isEqualTo("team/app");
        assertThat(ref.familiar()).isEqualTo("127.0.0.1:5000/team/app:v1.2");
        assertThat(ImageReference.parse("localhost/app").registry()).isEqualTo("localhost");
    }

    @Test
    void digestReferenceHasNoDefaultTagAndPinsTheManifest() {
        var ref = ImageReference.parse("alpine@sha256:" + HEX);
        assertThat(ref.tag()).isNull();
        assertThat(ref.digest()).isEqualTo(Digest.parse("sha256:" + HEX));
        assertThat(ref.manifestReference()).isEqualTo("sha256:" + HEX);
        assertThat(ref).hasToString("docker.io/library/alpine@sha256:" + HEX);
        var both = ImageReference.parse("alpine:3@sha256:" + HEX);
        assertThat(both.manifestReference()).isEqualTo("sha256:" + HEX);
        assertThat(both).hasToString("docker.io/library/alpine:3@sha256:" + HEX);
    }

    @Test
    void invalidReferencesNameTheFieldAndValue() {
        assertThatThrownBy(() -> ImageReference.parse("UPPER/case"))
                .isInstanceOf(BerthException.class)
                .hasMessageContaining("image: invalid value 'UPPER/case'")
                .extracting(e -> ((BerthException) e).code()).isEqualTo(ErrorCode.INVALID_SPEC);
        assertThatThrownBy(() -> ImageReference.parse("alpine@sha256:abc"))
                .isInstanceOf(BerthException.class).hasMessageContaining("sha256:");
        assertThatThrownBy(() -> ImageReference.parse("alpine@md5:" + "a".repeat(32)))
                .isInstanceOf(BerthException.class).hasMessageContaining("sha256:<64 lowercase hex digits>");
    }

    @Test
    void platformParsesAndNormalisesArchitectures() {
        assertThat(Platform.parse("linux/arm64/v8")).isEqualTo(new Platform("linux", "arm64", "v8"));
        assertThat(Platform.parse("linux/x86_64").architecture()).isEqualTo("amd64");
        assertThat(Platform.parse("linux/aarch64")).hasToString("linux/arm64");
        assertThat(Platform.parse("linux/arm64").accepts(new Platform("linux", "arm64", "v8"))).isTrue();
        assertThat(Platform.parse("linux/arm64/v8").accepts(new Platform("linux", "arm64", null))).isTrue();
        assertThat(Platform.parse("linux/arm/v7").accepts(new Platform("linux", "arm", "v6"))).isFalse();
        assertThat(Platform.parse("linux/amd64").accepts(new Platform("linux", "arm64", null))).isFalse();
        assertThatThrownBy(() -> Platform.parse("linux")).isInstanceOf(BerthException.class)
                .hasMessageContaining("platform: invalid value 'linux'");
    }

    @Test
    void hostPlatformMapsJvmArchitectureNames() {
        String arch = System.getProperty("os.arch");
        String expected = switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> arch;
        };
        assertThat(Platform.host()).isEqualTo(new Platform("linux", expected, Platform.host().variant()));
    }
}
