package dev.berth.image.unpack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.error.BerthException;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CompressionTest {
    @ParameterizedTest
    @CsvSource({
        "application/vnd.oci.image.layer.v1.tar, NONE",
        "application/vnd.oci.image.layer.v1.tar+gzip, GZIP",
        "application/vnd.oci.image.layer.v1.tar+zstd, ZSTD",
        "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip, GZIP",
        "application/vnd.docker.image.rootfs.diff.tar.gzip, GZIP",
        "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip, GZIP",
        "application/vnd.docker.image.rootfs.diff.tar, NONE",
        "'APPLICATION/VND.OCI.IMAGE.LAYER.V1.TAR+ZSTD; foo=bar', ZSTD"})
    void mediaTypesDeclareTheirCodec(String mediaType, Compression expected) {
        assertThat(Compression.forMediaType(mediaType)).contains(expected);
    }

    @Test
    void absentOrGenericMediaTypesLeaveItToTheMagicBytes() {
        assertThat(Compression.forMediaType(null)).isEmpty();
        assertThat(Compression.forMediaType(" ")).isEqualTo(Optional.empty());
        assertThat(Compression.forMediaType("application/octet-stream")).isEmpty();
        assertThatThrownBy(() -> Compression.forMediaType("application/vnd.oci.image.config.v1+json"))
                .isInstanceOf(BerthException.class)
                .hasMessageStartingWith("unsupported layer media type 'application/vnd.oci.image.config.v1+json'");
    }

    @Test
    void magicBytesAreSniffedWithoutConsumingThem() throws IOException {
        assertThat(sniff(0x1f, 0x8b, 8, 0)).isEqualTo(Compression.GZIP);
        assertThat(sniff(0x28, 0xb5, 0x2f, 0xfd)).isEqualTo(Compression.ZSTD);
        assertThat(sniff(0x50, 0x2a, 0x4d, 0x18)).isEqualTo(Compression.ZSTD); // skippable frame
        assertThat(sniff('e', 't', 'c', '/')).isEqualTo(Compression.NONE);
        assertThat(sniff(0x1f)).isEqualTo(Compression.NONE);

        var in = new BufferedInputStream(new ByteArrayInputStream(new byte[] {0x1f, (byte) 0x8b, 1}));
        Compression.sniff(in);
        assertThat(in.readAllBytes()).containsExactly(0x1f, 0x8b, 1);
    }

    private static Compression sniff(int... bytes) throws IOException {
        byte[] data = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            data[i] = (byte) bytes[i];
        }
        return Compression.sniff(new BufferedInputStream(new ByteArrayInputStream(data)));
    }
}
