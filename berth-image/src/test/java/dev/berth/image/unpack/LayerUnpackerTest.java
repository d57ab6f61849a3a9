package dev.berth.image.unpack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LayerUnpackerTest {
    private static final String OCI_TAR = "application/vnd.oci.image.layer.v1.tar";
    private static final String OCI_GZIP = OCI_TAR + "+gzip";
    private static final String OCI_ZSTD = OCI_TAR + "+zstd";
    private static final String DOCKER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    private static final HostTools HOST = HostTools.detect();

    @TempDir
    Path tmp;

    private final LayerUnpacker unpacker = new LayerUnpacker();

    private UnpackResult apply(Path rootfs, TestLayer layer) {
        return unpacker.applyLayer(rootfs, layer.stream(), OCI_TAR, "sha256:test");
    }

    private Path rootfs() throws IOException {
        return Files.createDirectories(tmp.resolve("rootfs"));
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p);
    }

    private static List<String> tree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void flattensLayersInOrderApplyingWhiteoutsToLowerLayersOnly() throws IOException {
        Path root = rootfs();
        apply(root, TestLayer.pax().dir("etc").file("etc/a", "a").file("etc/b", "b").file("usr/bin/x", "x").file("usr/lib/y", "y"));
        apply(root, TestLayer.pax().whiteout("etc/a").whiteout("usr/bin").file("etc/c", "c"));

        assertThat(tree(root)).containsExactly("etc", "etc/b", "etc/c", "usr", "usr/lib", "usr/lib/y");
        assertThat(read(root.resolve("etc/b"))).isEqualTo("b");
    }

    @Test
    void opaqueDirectoryKeepsSameLayerEntriesWrittenBeforeAndAfterTheMarker() throws IOException {
        Path root = rootfs();
        apply(root, TestLayer.pax().dir("d").file("d/old", "old").file("d/sub/oldchild", "o").file("d/sub/gone", "g"));
        apply(root, TestLayer.pax()
                .file("d/before", "before")
                .file("d/sub/kept", "kept") // parent implied, lower content below it still hidden
                .opaque("d")
                .file("d/after", "after"));

        assertThat(tree(root)).containsExactly("d", "d/after", "d/before", "d/sub", "d/sub/kept");
    }

    @Test
    void whiteoutSparesTheSameLayersEntriesWhateverTheirOrder() throws IOException {
        Path root = rootfs();
        apply(root, TestLayer.pax().file("a/f", "old").file("a/dir/lower", "x"));
        apply(root, TestLayer.pax().file("a/f", "new").file("a/dir/upper", "y").whiteout("a/f").whiteout("a/dir"));

        assertThat(tree(root)).containsExactly("a", "a/dir", "a/dir/upper", "a/f");
        assertThat(read(root.resolve("a/f"))).isEqualTo("new");
    }

    @Test
    void pathDeletedInOneLayerAndRecreatedInTheNextExists() throws IOException {
        Path root = rootfs();
        apply(root, TestLayer.pax().file("a/f", "1").file("b/g", "1"));
        apply(root, TestLayer.pax().whiteout("a/f").whiteout("b"));
        apply(root, TestLayer.pax().file("a/f", "3").file("b/h", "3"));

        assertThat(tree(root)).containsExactly("a", "a/f", "b", "b/h");
        assertThat(read(root.resolve("a/f"))).isEqualTo("3");
    }

    @Test
    void noWhiteoutMarkerRemainsAndAufsMetadataIsIgnored() throws IOException {
        Path root = rootfs();
        UnpackResult result = apply(root, TestLayer.pax().file("x", "x").whiteout("missing/file").whiteout("nothing")
                .opaque("absent").file(".wh..wh.plnk/123", "").file(".wh..wh..tmp", "").dir("d/.wh..wh.aufs"));

        assertThat(tree(root)).containsExactly("x");
        assertThat(result.notes()).anyMatch(n -> n.startsWith("aufs metadata entries ignored: 3"));
        assertThatThrownBy(() -> apply(root, TestLayer.pax().file("a/.wh.b/c", "")))
                .hasMessage("layer sha256:test: entry 'a/.wh.b/c' refused: a whiteout name used as a directory");
    }

    @Test
    void entriesReplaceWhatIsThereAcrossLayers() throws IOException {
        Path root = rootfs();
        apply(root, TestLayer.pax().file("was-file", "f").file("was-dir/child", "c").symlink("was-link", "was-file"));
        apply(root, TestLayer.pax().dir("was-file").file("was-dir", "now a file").dir("was-link"));

        assertThat(root.resolve("was-file")).isDirectory();
        assertThat(read(root.resolve("was-dir"))).isEqualTo("now a file");
        assertThat(Files.isSymbolicLink(root.resolve("was-link"))).isFalse();
        assertThat(root.resolve("was-link")).isDirectory();
    }

    @Test
    void hardLinksShareTheInodeWithinTheLayerAndWithLowerLayers() throws IOException {
        Path root = rootfs();
        apply(root, TestLayer.pax().file("lower", "L"));
        apply(root, TestLayer.pax().file("bin/tool", "T").hardlink("bin/alias", "bin/tool").hardlink("again", "./lower"));

        assertThat(Files.isSameFile(root.resolve("bin/tool"), root.resolve("bin/alias"))).isTrue();
        assertThat(Files.getAttribute(root.resolve("bin/tool"), "unix:nlink")).isEqualTo(2);
        assertThat(Files.isSameFile(root.resolve("lower"), root.resolve("again"))).isTrue();
    }

    @Test
    void hardLinkToAMissingTargetFailsTheLayer() throws IOException {
        Path root = rootfs();
        assertThatThrownBy(() -> apply(root, TestLayer.pax().hardlink("h", "nowhere")))
                .isInstanceOf(BerthException.class)
                .hasMessage("layer sha256:test: entry 'h' refused: hard link target 'nowhere' does not exist in the layer or below");
    }

    @ParameterizedTest
    @MethodSource("longNameFormats")
    void longNamesLinkTargetsAndHardLinksBeyondHundredCharacters(String format, TestLayer layer) throws IOException {
        Path root = rootfs();
        String dir = "deep/" + "d".repeat(90) + "/" + "e".repeat(90);
        String file = dir + "/" + "f".repeat(120) + ".txt";
        apply(root, layer.file(file, "long").symlink("link", "/" + file).hardlink("hard-" + "h".repeat(110), file));

        assertThat(read(root.resolve(file))).isEqualTo("long");
        assertThat(Files.readSymbolicLink(root.resolve("link")).toString()).isEqualTo("/" + file);
        assertThat(Files.isSameFile(root.resolve(file), root.resolve("hard-" + "h".repeat(110)))).isTrue();
    }

    static Stream<Arguments> longNameFormats() {
        return Stream.of(Arguments.of("pax", TestLayer.pax()), Arguments.of("gnu", TestLayer.gnu()));
    }

    @Test
    void modesIncludingSpecialBitsAndTimesAreKeptDirectoriesAfterTheirContent() throws IOException {
        Path root = rootfs();
        apply(root, TestLayer.pax().dir("sticky", 01777).dir("ro", 0555).file("ro/file", "x", 0444)
                .file("bin/su", "s", 04755).file("bin/wall", "w", 02711).symlink("ln", "bin/su"));

        assertThat(mode(root.resolve("sticky"))).isEqualTo(01777);
        assertThat(mode(root.resolve("ro"))).isEqualTo(0555);
        assertThat(mode(root.resolve("ro/file"))).isEqualTo(0444);
        assertThat(mode(root.resolve("bin/su"))).isEqualTo(04755);
        assertThat(mode(root.resolve("bin/wall"))).isEqualTo(02711);
        assertThat(mode(root.resolve("bin"))).isEqualTo(0755); // implied parent
        for (String p : List.of("sticky", "ro", "ro/file", "bin/su", "ln")) {
            assertThat(Files.getLastModifiedTime(root.resolve(p), LinkOption.NOFOLLOW_LINKS)).as(p).isEqualTo(TestLayer.MTIME);
        }
    }

    @Test
    void rootEntryAppliesModeAndTimesToTheRoot() throws IOException {
        Path root = rootfs();
        apply(root, TestLayer.pax().dir("./", 0750).file("./a", "a"));

        assertThat(mode(root)).isEqualTo(0750);
        assertThat(Files.getLastModifiedTime(root)).isEqualTo(TestLayer.MTIME);
        assertThat(tree(root)).containsExactly("a");
    }

    @Test
    void ownersAreAppliedWithoutFollowingSymlinksWhenRoot() throws IOException {
        assumeTrue(HOST.root(), "needs root");
        Path root = rootfs();
        var layer = TestLayer.pax().file("owned", "o".getBytes(StandardCharsets.UTF_8), 04750, 1234, 5678);
        apply(root, layer.symlink("link", "owned"));

        assertThat(Files.getAttribute(root.resolve("owned"), "unix:uid")).isEqualTo(1234);
        assertThat(Files.getAttribute(root.resolve("owned"), "unix:gid")).isEqualTo(5678);
        assertThat(mode(root.resolve("owned"))).isEqualTo(04750); // chmod after chown keeps setuid
    }

    @Test
    void unprivilegedUnpackSkipsDevicesAndOwnersWithNotes() throws IOException {
        Path root = rootfs();
        var layer = TestLayer.pax().device("dev/null", TarConstants.LF_CHR, 1, 3)
                .file("owned", "o".getBytes(StandardCharsets.UTF_8), 0644, 1234, 5678);
        UnpackResult result = new LayerUnpacker(HOST.unprivileged()).applyLayer(root, layer.stream(), OCI_TAR, "sha256:x");

        assertThat(tree(root)).containsExactly("dev", "owned");
        assertThat(result.notes()).anyMatch(n -> n.startsWith("device nodes skipped (not root): 1 (e.g. dev/null)"));
        assertThat(result.notes()).anyMatch(n -> n.startsWith("owners not applied (not root): 1"));
    }

    @Test
    void devicesAndFifosAreCreatedInsideWhenRoot() throws IOException {
        assumeTrue(HOST.root(), "needs root");
        Path root = rootfs();
        UnpackResult result = apply(root, TestLayer.pax().device("dev/null", TarConstants.LF_CHR, 1, 3)
                .device("dev/loop9", TarConstants.LF_BLK, 7, 9).device("run/fifo", TarConstants.LF_FIFO, 0, 0));

        if (result.notes().stream().noneMatch(n -> n.startsWith("device nodes skipped"))) {
            assertThat(fileType(root.resolve("dev/null"))).isEqualTo(0020000);
            assertThat(Files.getAttribute(root.resolve("dev/null"), "unix:rdev", LinkOption.NOFOLLOW_LINKS)).isEqualTo((long) (1 << 8 | 3));
            assertThat(fileType(root.resolve("dev/loop9"))).isEqualTo(0060000);
        }
        assertThat(fileType(root.resolve("run/fifo"))).isEqualTo(0010000);
        assertThat(mode(root.resolve("run/fifo"))).isEqualTo(0600);
    }

    @Test
    void userXattrsAreAppliedAndOverlayXattrsFromTheLayerIgnored() throws IOException {
        Path root = rootfs();
        UnpackResult result = apply(root, TestLayer.pax()
                .paxRecords(Map.of("SCHILY.xattr.user.bin", new byte[] {0, (byte) 0xff, (byte) 0x80, 1},
                        "SCHILY.xattr.trusted.overlay.opaque", "y".getBytes(StandardCharsets.US_ASCII)))
                .file("f", "x"));

        var view = Files.getFileAttributeView(root.resolve("f"), UserDefinedFileAttributeView.class);
        assumeTrue(view.list().contains("bin"), "filesystem without user xattrs");
        ByteBuffer value = ByteBuffer.allocate(view.size("bin"));
        view.read("bin", value);
        assertThat(value.array()).containsExactly(0, 0xff, 0x80, 1);
        assertThat(result.notes()).anyMatch(n -> n.startsWith("overlayfs xattrs in the layer ignored: 1"));
    }

    @Test
    void binarySecurityCapabilityIsAppliedWhenRootWithSetfattr() throws Exception {
        assumeTrue(HOST.canSetXattrs(), "needs root and setfattr");
        Path root = rootfs();
        byte[] capability = {1, 0, 0, 2, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}; // cap_net_raw+ep
        apply(root, TestLayer.pax().paxRecords(Map.of("SCHILY.xattr.security.capability", capability)).file("ping", "p", 0755));

        Process getfattr = new ProcessBuilder("getfattr", "--absolute-names", "-e", "hex", "-n", "security.capability",
                root.resolve("ping").toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String hex = new String(getfattr.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(getfattr.waitFor()).isZero();
        assertThat(hex).endsWith("security.capability=0x" + java.util.HexFormat.of().formatHex(capability));
    }

    @ParameterizedTest
    @MethodSource("encodings")
    void detectsCompressionByMediaTypeAndByMagic(String mediaType, Compression codec, boolean trustMagic) throws IOException {
        Path root = rootfs();
        var layer = TestLayer.pax().file("hello", "world");
        byte[] blob = switch (codec) {
            case NONE -> layer.tar();
            case GZIP -> layer.gzip();
            case ZSTD -> layer.zstd();
        };
        UnpackResult result = unpacker.applyLayer(root, new ByteArrayInputStream(blob), trustMagic ? null : mediaType, "sha256:c");

        assertThat(result.compression()).isEqualTo(codec);
        assertThat(read(root.resolve("hello"))).isEqualTo("world");
        assertThat(result.entries()).isEqualTo(1);
        assertThat(result.bytes()).isEqualTo(5);
        assertThat(result.notes()).isEmpty();
    }

    static Stream<Arguments> encodings() {
        return Stream.of(
                Arguments.of(OCI_TAR, Compression.NONE, false), Arguments.of(OCI_GZIP, Compression.GZIP, false),
                Arguments.of(OCI_ZSTD, Compression.ZSTD, false), Arguments.of(DOCKER_GZIP, Compression.GZIP, false),
                Arguments.of("application/vnd.oci.image.layer.nondistributable.v1.tar+zstd", Compression.ZSTD, false),
                Arguments.of(null, Compression.NONE, true), Arguments.of(null, Compression.GZIP, true),
                Arguments.of(null, Compression.ZSTD, true));
    }

    @Test
    void contentMagicWinsOverAContradictingMediaTypeWithANote() throws IOException {
        Path root = rootfs();
        UnpackResult result = unpacker.applyLayer(root, new ByteArrayInputStream(TestLayer.pax().file("a", "a").zstd()),
                DOCKER_GZIP, "sha256:m");

        assertThat(result.compression()).isEqualTo(Compression.ZSTD);
        assertThat(result.notes()).singleElement().asString().startsWith("media type contradicted by the content: 1");
    }

    @Test
    void unsupportedMediaTypeAndEmptyBlobFailClearly() throws IOException {
        Path root = rootfs();
        byte[] tar = TestLayer.pax().file("a", "a").tar();
        assertThatThrownBy(() -> unpacker.applyLayer(root, new ByteArrayInputStream(tar), "application/vnd.wasm.content.layer.v1+wasm", "sha256:w"))
                .isInstanceOf(BerthException.class)
                .hasMessageStartingWith("layer sha256:w: unsupported layer media type 'application/vnd.wasm.content.layer.v1+wasm'");
        assertThatThrownBy(() -> unpacker.applyLayer(root, new ByteArrayInputStream(new byte[0]), OCI_TAR, "sha256:e"))
                .hasMessage("layer sha256:e: the layer is empty (0 bytes)");
        assertThatThrownBy(() -> unpacker.applyLayer(root, new ByteArrayInputStream(tar), OCI_GZIP, "sha256:g"))
                .hasMessage("layer sha256:g: media type '" + OCI_GZIP + "' declares gzip but the content does not start with its magic bytes");
    }

    @ParameterizedTest
    @MethodSource("truncations")
    void truncatedOrCorruptStreamsFailWithOneLineNamingTheLayer(String what, byte[] blob, String expected) throws IOException {
        Path root = rootfs();
        assertThatThrownBy(() -> unpacker.applyLayer(root, new ByteArrayInputStream(blob), null, "sha256:cut"))
                .isInstanceOf(BerthException.class)
                .satisfies(e -> assertThat(((BerthException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageStartingWith("layer sha256:cut: corrupt ")
                .hasMessageContaining(expected)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    static Stream<Arguments> truncations() {
        byte[] big = new byte[300_000];
        new java.util.Random(7).nextBytes(big);
        var layer = TestLayer.pax().file("small", "s").file("big", big, 0644, 0, 0).file("last", "l");
        byte[] tar = layer.tar();
        byte[] gzip = layer.gzip();
        byte[] zstd = layer.zstd();
        byte[] flipped = gzip.clone();
        flipped[flipped.length - 6] ^= 0x5a; // inside the CRC32 trailer
        byte[] garbage = new byte[4096];
        Arrays.fill(garbage, (byte) 'x');
        return Stream.of(
                Arguments.of("gzip cut in half", Arrays.copyOf(gzip, gzip.length / 2), "gzip layer at entry 'big'"),
                Arguments.of("gzip without trailer", Arrays.copyOf(gzip, gzip.length - 4), "gzip layer"),
                Arguments.of("gzip crc", flipped, "CRC"),
                Arguments.of("zstd cut in half", Arrays.copyOf(zstd, zstd.length / 2), "zstd layer at entry 'big'"),
                Arguments.of("zstd cut at end", Arrays.copyOf(zstd, zstd.length - 3), "zstd layer"),
                Arguments.of("tar cut inside an entry", Arrays.copyOf(tar, 100_000), "plain tar layer at entry 'big': Truncated TAR archive"),
                Arguments.of("tar cut at an entry boundary", Arrays.copyOf(tar, 3 * 512 + 300_032 + 2 * 512),
                        "without its end-of-archive record"),
                Arguments.of("not a tar", garbage, "plain tar layer"));
    }

    @Test
    void unpackLayerPublishesTheDirectoryOnlyWhenComplete() throws IOException {
        Path layers = tmp.resolve("layers");
        Path ok = layers.resolve("sha256-ok");
        UnpackResult result = unpacker.unpackLayer(ok, TestLayer.pax().file("a/b", "b").stream(), OCI_TAR, "sha256:ok",
                WhiteoutMode.APPLY);
        assertThat(result.entries()).isEqualTo(1);
        assertThat(read(ok.resolve("a/b"))).isEqualTo("b");
        assertThat(mode(ok)).isEqualTo(0755);

        Path bad = layers.resolve("sha256-bad");
        byte[] cut = Arrays.copyOf(TestLayer.pax().file("a/b", "b").file("c", "x".repeat(5000)).tar(), 2000);
        assertThatThrownBy(() -> unpacker.unpackLayer(bad, new ByteArrayInputStream(cut), OCI_TAR, "sha256:bad", WhiteoutMode.APPLY))
                .isInstanceOf(BerthException.class);
        assertThat(tree(layers)).containsExactly("sha256-ok", "sha256-ok/a", "sha256-ok/a/b");

        assertThatThrownBy(() -> unpacker.unpackLayer(ok, TestLayer.pax().file("z", "z").stream(), OCI_TAR, "sha256:again",
                WhiteoutMode.APPLY))
                .isInstanceOf(BerthException.class)
                .satisfies(e -> assertThat(((BerthException) e).code()).isEqualTo(ErrorCode.CONFLICT));
    }

    @Test
    void theCallersStreamIsReadToItsEndAndLeftOpen() throws IOException {
        Path root = rootfs();
        byte[] gzip = TestLayer.pax().file("a", "a").gzip();
        var closed = new boolean[1];
        var in = new ByteArrayInputStream(gzip) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        unpacker.applyLayer(root, in, OCI_GZIP, "sha256:s");

        assertThat(in.available()).isZero();
        assertThat(closed[0]).isFalse();
    }

    @Test
    void nonRegularFileContentIsSkippedAndCounted() throws IOException {
        Path root = rootfs();
        UnpackResult result = apply(root, TestLayer.pax().dir("d").file("d/one", "1").file("two", "22").symlink("s", "d"));

        assertThat(result.entries()).isEqualTo(4);
        assertThat(result.bytes()).isEqualTo(3);
    }

    static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    static int fileType(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000;
    }

}
