package dev.berth.image.unpack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OverlayWhiteoutTest {
    private static final String TAR = "application/vnd.oci.image.layer.v1.tar";
    private static final HostTools HOST = HostTools.detect();

    @TempDir
    Path tmp;

    @Test
    void whiteoutsBecomeCharDevicesAndOpaqueMarkersAnXattrWhateverTheEntryOrder() throws Exception {
        assumeTrue(HOST.canSetXattrs(), "needs root and setfattr");
        Path dir = tmp.resolve("layer");
        var layer = TestLayer.pax().whiteout("etc/gone").dir("opq").file("opq/kept-before", "b").opaque("opq")
                .file("opq/kept-after", "a").file("replaced/x", "x").whiteout("replaced").whiteout("etc/gone");

        new LayerUnpacker().unpackLayer(dir, layer.stream(), TAR, "sha256:o", WhiteoutMode.OVERLAY);

        Path gone = dir.resolve("etc/gone");
        assertThat((Integer) Files.getAttribute(gone, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000).isEqualTo(0020000);
        assertThat(Files.getAttribute(gone, "unix:rdev", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0L);
        assertThat(opaque(dir.resolve("opq"))).isEqualTo("y");
        assertThat(opaque(dir.resolve("replaced"))).isEqualTo("y"); // this layer's directory replacing a lower one
        assertThat(opaque(dir.resolve("etc"))).isNull();
        try (Stream<Path> all = Files.walk(dir)) {
            List<String> names = all.map(p -> p.getFileName().toString()).toList();
            assertThat(names).noneMatch(n -> n.startsWith(".wh."));
        }
        assertThat(dir.resolve("opq/kept-before")).hasContent("b");
        assertThat(dir.resolve("opq/kept-after")).hasContent("a");
    }

    @Test
    void withoutRootOverlayWhiteoutsFailAsUnsupportedAndLeaveNoDirectory() throws IOException {
        Path dir = tmp.resolve("layer");
        var unprivileged = new LayerUnpacker(HOST.unprivileged());

        assertThatThrownBy(() -> unprivileged.unpackLayer(dir, TestLayer.pax().file("a", "a").whiteout("b").stream(), TAR,
                "sha256:u", WhiteoutMode.OVERLAY))
                .isInstanceOf(BerthException.class)
                .satisfies(e -> assertThat(((BerthException) e).code()).isEqualTo(ErrorCode.UNSUPPORTED))
                .hasMessage("layer sha256:u: entry '.wh.b' refused: overlay whiteouts not possible here (a whiteout device "
                        + "(char 0/0) needs root); flatten the layers instead");
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void layersWithoutWhiteoutsNeedNoPrivilegeInOverlayMode() throws IOException {
        Path dir = tmp.resolve("layer");
        new LayerUnpacker(HOST.unprivileged()).unpackLayer(dir, TestLayer.pax().file("a/b", "b").stream(), TAR, "sha256:p",
                WhiteoutMode.OVERLAY);

        assertThat(dir.resolve("a/b")).hasContent("b");
    }

    private static String opaque(Path dir) throws Exception {
        Process p = new ProcessBuilder("getfattr", "--absolute-names", "--only-values", "-n", "trusted.overlay.opaque", dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] value = p.getInputStream().readAllBytes();
        return p.waitFor() == 0 ? new String(value, StandardCharsets.UTF_8) : null;
    }
}
