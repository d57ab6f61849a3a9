package dev.berth.image.unpack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Layers that try to write, link, delete or chmod outside the rootfs. Layout:
 * {@code base/work/rootfs} is the target, {@code base/outside} an empty sibling directory and
 * {@code base/sentinel.txt} a file; after every case both must be exactly as before (content, inode,
 * link count, mode, mtime, xattrs), whether the layer was refused or clamped inside the root.
 *
 * <p>Safety rule for this file: were the unpacker broken, every attack must land in {@code base}
 * (a temp dir) and be caught by the checks, never on the host. So symlinks climb with just enough
 * {@code ..} to reach {@code base}, absolute ones point into {@code base}, and the one case
 * the issue names with {@code evil -> /} writes the host's own {@code /etc/passwd} bytes.
 */
class EscapeCorpusTest {
    private static final String TAR = "application/vnd.oci.image.layer.v1.tar";
    private static final String SENTINEL = "sentinel: must never change";

    @TempDir
    Path base;

    private Path root;
    private Path outside;
    private Path sentinel;
    private Snapshot before;

    private final LayerUnpacker unpacker = new LayerUnpacker();

    private record Snapshot(String content, Object inode, Object nlink, Object mode, FileTime mtime, List<String> xattrs,
                            Object outsideMode, FileTime outsideMtime, List<String> baseEntries, List<String> workEntries) {
    }

    @BeforeEach
    void layout() throws IOException {
        root = Files.createDirectories(base.resolve("work/rootfs"));
        outside = Files.createDirectory(base.resolve("outside"));
        sentinel = Files.writeString(base.resolve("sentinel.txt"), SENTINEL);
        Files.setLastModifiedTime(outside, FileTime.fromMillis(1_000_000_000_000L));
        before = snapshot();
    }

    @AfterEach
    void nothingOutsideTheRootChanged() throws IOException {
        assertThat(snapshot()).isEqualTo(before);
        try (Stream<Path> inOutside = Files.list(outside)) {
            assertThat(inOutside).isEmpty();
        }
    }

    private Snapshot snapshot() throws IOException {
        var xattrs = Files.getFileAttributeView(sentinel, UserDefinedFileAttributeView.class).list();
        return new Snapshot(Files.readString(sentinel), Files.getAttribute(sentinel, "unix:ino"),
                Files.getAttribute(sentinel, "unix:nlink"), Files.getAttribute(sentinel, "unix:mode"),
                Files.getLastModifiedTime(sentinel), xattrs, Files.getAttribute(outside, "unix:mode"),
                Files.getLastModifiedTime(outside), names(base), names(base.resolve("work")));
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private void apply(TestLayer layer) {
        unpacker.applyLayer(root, layer.stream(), TAR, "sha256:evil");
    }

    /** Host path of {@code p} without its leading slash, i.e. as it would appear under the rootfs. */
    private static String inRoot(Path p) {
        return p.toString().substring(1);
    }

    // ---- refused: the whole layer fails, naming the entry ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusedLayers(String attack, Function<EscapeCorpusTest, TestLayer> layer, String message) {
        assertThatThrownBy(() -> apply(layer.apply(this)))
                .isInstanceOf(BerthException.class)
                .satisfies(e -> assertThat(((BerthException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessage("layer sha256:evil: " + message.replace("{sentinel}", sentinel.toString()));
    }

    static Stream<Arguments> refused() {
        String longAbs = "/" + "x".repeat(120) + "/etc/x";
        return Stream.of(
                refusal("absolute name", t -> TestLayer.pax().file("/etc/x", "x"), "entry '/etc/x' refused: absolute name"),
                refusal("dot-dot name", t -> TestLayer.pax().file("../x", "x"), "entry '../x' refused: '..' component in name"),
                refusal("nested dot-dot", t -> TestLayer.pax().file("a/../../x", "x"), "entry 'a/../../x' refused: '..' component in name"),
                refusal("dot-dot to the sentinel", t -> TestLayer.pax().file("../../sentinel.txt", "pwned"),
                        "entry '../../sentinel.txt' refused: '..' component in name"),
                refusal("absolute PAX long name", t -> TestLayer.pax().file(longAbs, "x"),
                        "entry '" + longAbs + "' refused: absolute name"),
                refusal("absolute GNU long name", t -> TestLayer.gnu().file(longAbs, "x"),
                        "entry '" + longAbs + "' refused: absolute name"),
                refusal("hard link to a sibling outside", t -> TestLayer.pax().hardlink("h", "../../outside/secret"),
                        "entry 'h' refused: hard link target '../../outside/secret': '..' component in name"),
                refusal("hard link to the sentinel by absolute path", t -> TestLayer.pax().hardlink("h", t.sentinel.toString()),
                        "entry 'h' refused: hard link target '{sentinel}': absolute name"),
                refusal("hard link through a relative symlinked parent", t -> TestLayer.pax()
                                .symlink("up", "../..").hardlink("h", "up/sentinel.txt"),
                        "entry 'h' refused: hard link target 'up/sentinel.txt' does not exist in the layer or below"),
                refusal("hard link through an absolute symlinked parent", t -> TestLayer.pax()
                                .symlink("host", t.base.toString()).hardlink("h", "host/sentinel.txt"),
                        "entry 'h' refused: hard link target 'host/sentinel.txt' does not exist in the layer or below"),
                refusal("whiteout of '..'", t -> TestLayer.pax().file(".wh...", ""),
                        "entry '.wh...' refused: whiteout names no file in its directory"),
                refusal("whiteout with no name", t -> TestLayer.pax().file("a/.wh.", ""),
                        "entry 'a/.wh.' refused: whiteout names no file in its directory"),
                refusal("symlink loop", t -> TestLayer.pax().symlink("l1", "l2").symlink("l2", "l1").file("l1/x", "x"),
                        "entry 'l1/x' refused: l1 (more than 40 symlinks)"),
                refusal("NUL in a PAX name", t -> TestLayer.pax().paxRecords(Map.of("path", "a\0b".getBytes(StandardCharsets.UTF_8)))
                        .file("a", "x"), "entry 'a?b' refused: NUL byte in name"));
    }

    private static Arguments refusal(String attack, Function<EscapeCorpusTest, TestLayer> layer, String message) {
        return Arguments.of(attack, layer, message);
    }

    // ---- accepted but clamped: symlinks are resolved inside the root ----

    @Test
    void absoluteSymlinkToHostRootLandsInsideTheRoot() throws IOException {
        Path hostPasswd = Path.of("/etc/passwd");
        byte[] passwd = Files.readAllBytes(hostPasswd); // same bytes: were the write to escape, it would still be harmless
        Object inode = Files.getAttribute(hostPasswd, "unix:ino");

        apply(TestLayer.pax().symlink("evil", "/")
                .file("evil/etc/passwd", passwd, 0644, 0, 0)
                .file("evil/" + inRoot(outside) + "/planted", "x".getBytes(StandardCharsets.UTF_8), 0644, 0, 0));

        assertThat(Files.readSymbolicLink(root.resolve("evil")).toString()).isEqualTo("/");
        assertThat(root.resolve("etc/passwd")).hasBinaryContent(passwd);
        assertThat(root.resolve(inRoot(outside) + "/planted")).hasContent("x");
        assertThat(Files.getAttribute(hostPasswd, "unix:ino")).isEqualTo(inode);
    }

    @Test
    void dotDotSymlinksStopAtTheRoot() throws IOException {
        // from rootfs/a/b, four '..' reach base: where a kernel-following unpacker would write
        apply(TestLayer.pax().symlink("up", "..").file("up/up/x", "x").symlink("a/b/c", "../../../..").file("a/b/c/y", "y"));

        assertThat(root.resolve("x")).hasContent("x");
        assertThat(root.resolve("y")).hasContent("y");
    }

    @Test
    void symlinkToTheOutsideSiblingIsFollowedInsideTheRoot() throws IOException {
        apply(TestLayer.pax().symlink("rel", "../../outside").file("rel/f1", "1")
                .symlink("x/y/deeper", "../../../../outside").file("x/y/deeper/f2", "2")
                .symlink("abs", outside.toString()).file("abs/f3", "3"));

        assertThat(root.resolve("outside/f1")).hasContent("1");
        assertThat(root.resolve("outside/f2")).hasContent("2");
        assertThat(root.resolve(inRoot(outside) + "/f3")).hasContent("3");
    }

    @Test
    void symlinkedParentFromAnEarlierLayerStaysInsideTheRoot() throws IOException {
        apply(TestLayer.pax().symlink("lib", "../../outside").symlink("abs", base.toString()));
        apply(TestLayer.pax().file("lib/x", "x").dir("lib/sub").file("abs/sentinel.txt", "pwned")
                .hardlink("abs/outside/h", "lib/x"));

        assertThat(root.resolve("outside/x")).hasContent("x");
        assertThat(root.resolve("outside/sub")).isDirectory();
        assertThat(root.resolve(inRoot(base) + "/sentinel.txt")).hasContent("pwned");
        assertThat(Files.isSameFile(root.resolve(inRoot(base) + "/outside/h"), root.resolve("outside/x"))).isTrue();
    }

    @Test
    void fileDirectoryAndLinkEntriesReplaceASymlinkPointingOutsideInsteadOfWritingThroughIt() throws IOException {
        apply(TestLayer.pax().file("inside", "i").symlink("f", sentinel.toString()).symlink("g", "../../sentinel.txt")
                .symlink("d", outside.toString()).symlink("h", sentinel.toString()).symlink("s", outside.toString()));
        apply(TestLayer.pax().file("f", "pwned").file("g", "pwned", 0777).dir("d", 0700).hardlink("h", "inside")
                .symlink("s", "elsewhere"));

        for (String name : List.of("f", "g")) {
            assertThat(Files.isRegularFile(root.resolve(name), LinkOption.NOFOLLOW_LINKS)).as(name).isTrue();
            assertThat(root.resolve(name)).hasContent("pwned");
        }
        assertThat(Files.isDirectory(root.resolve("d"), LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(Files.isSameFile(root.resolve("h"), root.resolve("inside"))).isTrue();
        assertThat(Files.readSymbolicLink(root.resolve("s")).toString()).isEqualTo("elsewhere");
    }

    @Test
    void sameLayerSymlinkReplacingADirectoryGetsNoneOfTheDirectorysModeOrTimes() throws IOException {
        // the directory's mode and mtime are applied after the layer: they must not follow the new symlink out
        apply(TestLayer.pax().dir("d", 0700).dir("e/f", 0700).symlink("d", outside.toString()).symlink("e", "../../outside"));

        assertThat(Files.isSymbolicLink(root.resolve("d"))).isTrue();
        assertThat(Files.isSymbolicLink(root.resolve("e"))).isTrue();
    }

    @Test
    void whiteoutsThroughSymlinksPointingOutsideDeleteNothingOutside() throws IOException {
        apply(TestLayer.pax().symlink("w", "../..").symlink("abs", base.toString()).symlink("o", outside.toString())
                .file("keep", "k"));
        apply(TestLayer.pax().whiteout("w/sentinel.txt").whiteout("abs/sentinel.txt").whiteout("abs/outside")
                .opaque("abs").opaque("o").whiteout("o"));

        assertThat(Files.isSymbolicLink(root.resolve("w"))).isTrue();
        assertThat(Files.exists(root.resolve("o"), LinkOption.NOFOLLOW_LINKS)).isFalse(); // the link itself went
        assertThat(root.resolve("keep")).hasContent("k");
    }

    @Test
    void opaqueMarkersUnderSymlinksClimbingOutEmptyOnlyWhatIsInsideTheRoot() throws IOException {
        apply(TestLayer.pax().file("lower", "l").symlink("top", "../..").symlink("host", base.toString())
                .file(inRoot(base) + "/in-root-copy", "c"));
        apply(TestLayer.pax().file("mine", "m").opaque("host").opaque("top"));

        assertThat(Files.exists(root.resolve(inRoot(base) + "/in-root-copy"))).isFalse(); // 'host' led here
        assertThat(Files.exists(root.resolve("lower"))).isFalse(); // 'top' led to the root itself
        assertThat(Files.exists(root.resolve("top"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(root.resolve("mine")).hasContent("m");
    }

    @Test
    void xattrsOnASymlinkPointingOutsideAreNotAppliedToItsTarget() throws IOException {
        apply(TestLayer.pax().paxRecords(Map.of("SCHILY.xattr.user.pwned", "1".getBytes(StandardCharsets.UTF_8),
                "SCHILY.xattr.trusted.pwned", "1".getBytes(StandardCharsets.UTF_8))).symlink("s", sentinel.toString()));

        assertThat(Files.isSymbolicLink(root.resolve("s"))).isTrue();
    }

    @Test
    void symlinkTargetsAreStoredVerbatimNotCheckedSinceTheyAreResolvedInsideTheRootLater() throws IOException {
        apply(TestLayer.pax().symlink("passwd", "/etc/passwd").symlink("dots", "../../../../outside/x"));

        assertThat(Files.readSymbolicLink(root.resolve("passwd")).toString()).isEqualTo("/etc/passwd");
        assertThat(Files.readSymbolicLink(root.resolve("dots")).toString()).isEqualTo("../../../../outside/x");
    }
}
