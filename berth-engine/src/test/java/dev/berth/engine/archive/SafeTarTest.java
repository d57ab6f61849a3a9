package dev.berth.engine.archive;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTarTest {
    private static final String FIELD = "files[0].archive";

    @TempDir
    Path dir;

    // ---- accepted archives -------------------------------------------------------------------

    @Test
    void tarEntriesArePlacedUnderTheTargetWithContentModesAndLinks() throws IOException {
        Path archive = tar("app.tar", false, t -> {
            t.dir("bin/");
            t.file("bin/run", "#!/bin/sh\necho hi\n", 0755);
            t.file("./README", "read me", 0644);
            t.symlink("bin/latest", "run");
            t.hardlink("copy", "README");
        });

        List<Entry> out = normalise(archive);

        assertThat(out).extracting(Entry::name).containsExactly(
                "var/", "var/task/", "var/task/bin/", "var/task/bin/run", "var/task/README", "var/task/bin/latest",
                "var/task/copy");
        assertThat(entry(out, "var/task/bin/run").content()).isEqualTo("#!/bin/sh\necho hi\n");
        assertThat(entry(out, "var/task/bin/run").mode() & 07777).isEqualTo(0755);
        assertThat(entry(out, "var/task/README").content()).isEqualTo("read me");
        assertThat(entry(out, "var/task/bin/latest").symlinkTo()).isEqualTo("run");
        assertThat(entry(out, "var/task/copy").hardlinkTo()).isEqualTo("var/task/README");
        assertThat(entry(out, "var/task/").directory()).isTrue();
    }

    @Test
    void zipKeepsUnixModesAndSymlinksSoABootstrapStaysExecutable(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path archive = dir.resolve("function.zip");
        try (var zip = new org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream(archive)) {
            var boot = new org.apache.commons.compress.archivers.zip.ZipArchiveEntry("bootstrap");
            boot.setUnixMode(0100755);
            zip.putArchiveEntry(boot);
            zip.write("#!/bin/sh\necho hi\n".getBytes(UTF_8));
            zip.closeArchiveEntry();
            var link = new org.apache.commons.compress.archivers.zip.ZipArchiveEntry("run");
            link.setUnixMode(0120777);
            zip.putArchiveEntry(link);
            zip.write("bootstrap".getBytes(UTF_8));
            zip.closeArchiveEntry();
        }

        List<Entry> out = normalise(archive);

        assertThat(entry(out, "var/task/bootstrap").mode() & 07777).isEqualTo(0755);
        assertThat(entry(out, "var/task/bootstrap").content()).isEqualTo("#!/bin/sh\necho hi\n");
        assertThat(entry(out, "var/task/run").symlinkTo()).isEqualTo("bootstrap");
    }

    @Test
    void zipSymlinkPointingOutsideIsRejected(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path archive = dir.resolve("evil.zip");
        try (var zip = new org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream(archive)) {
            var link = new org.apache.commons.compress.archivers.zip.ZipArchiveEntry("up");
            link.setUnixMode(0120777);
            zip.putArchiveEntry(link);
            zip.write("../../etc".getBytes(UTF_8));
            zip.closeArchiveEntry();
        }

        assertThatThrownBy(() -> normalise(archive)).isInstanceOf(dev.berth.api.error.BerthException.class)
                .hasMessageContaining("points outside the archive");
    }

    @Test
    void gzippedTarIsUnpackedTheSameWay() throws IOException {
        Path archive = tar("app.tar.gz", true, t -> {
            t.dir("lib/");
            t.file("lib/a.txt", "alpha", 0644);
            t.file("b.txt", "beta", 0600);
        });

        List<Entry> out = normalise(archive);

        assertThat(out).extracting(Entry::name)
                .containsExactly("var/", "var/task/", "var/task/lib/", "var/task/lib/a.txt", "var/task/b.txt");
        assertThat(entry(out, "var/task/lib/a.txt").content()).isEqualTo("alpha");
        assertThat(entry(out, "var/task/b.txt").mode() & 07777).isEqualTo(0600);
    }

    @Test
    void zipIsConvertedToATarUnderTheTarget() throws IOException {
        Path archive = zip("code.zip", Map.of("bootstrap", "#!/bin/sh\n", "lib/", "", "lib/handler.py", "print(1)\n"));

        List<Entry> out = normalise(archive);

        assertThat(out).extracting(Entry::name).containsExactlyInAnyOrder(
                "var/", "var/task/", "var/task/bootstrap", "var/task/lib/", "var/task/lib/handler.py");
        assertThat(out).extracting(Entry::name).startsWith("var/", "var/task/");
        assertThat(entry(out, "var/task/bootstrap").content()).isEqualTo("#!/bin/sh\n");
        assertThat(entry(out, "var/task/lib/handler.py").content()).isEqualTo("print(1)\n");
        assertThat(entry(out, "var/task/lib/").directory()).isTrue();
    }

    @Test
    void symlinkWithAnAbsoluteTargetIsKeptBecauseItResolvesInsideTheContainer() throws IOException {
        Path archive = tar("abs.tar", false, t -> t.symlink("hosts", "/etc/hosts"));

        assertThat(entry(normalise(archive), "var/task/hosts").symlinkTo()).isEqualTo("/etc/hosts");
    }

    @Test
    void relativeSymlinkThatStaysInsideIsKept() throws IOException {
        Path archive = tar("rel.tar", false, t -> {
            t.file("c", "x", 0644);
            t.symlink("a/b", "../c");
        });

        assertThat(entry(normalise(archive), "var/task/a/b").symlinkTo()).isEqualTo("../c");
    }

    @Test
    void targetAtTheRootAddsNoPrefix() throws IOException {
        Path archive = tar("root.tar", false, t -> t.file("etc/motd", "hi", 0644));

        var bytes = new ByteArrayOutputStream();
        SafeTar.normalise(FIELD, archive, "/", bytes);

        assertThat(read(bytes.toByteArray())).extracting(Entry::name).containsExactly("etc/motd");
    }

    // ---- rejected archives -------------------------------------------------------------------

    @Test
    void absoluteEntryNameIsRejected() throws IOException {
        Path archive = tar("abs-name.tar", false, t -> t.file("/etc/passwd", "root::0:0::/:/bin/sh\n", 0644));

        assertRejected(archive, "'/etc/passwd'", "relative");
    }

    @Test
    void dotDotEntryIsRejected() throws IOException {
        assertRejected(tar("up.tar", false, t -> t.file("../x", "x", 0644)), "'../x'", "'..'");
    }

    @Test
    void dotDotInTheMiddleOfAnEntryIsRejected() throws IOException {
        assertRejected(tar("mid.tar", false, t -> t.file("a/../../x", "x", 0644)), "'a/../../x'", "'..'");
    }

    @Test
    void hardLinkPointingOutsideIsRejected() throws IOException {
        Path archive = tar("hard.tar", false, t -> t.hardlink("passwd", "../../etc/passwd"));

        assertRejected(archive, "'passwd'", "../../etc/passwd");
    }

    @Test
    void hardLinkWithAnAbsoluteTargetIsRejected() throws IOException {
        assertRejected(tar("hard-abs.tar", false, t -> t.hardlink("passwd", "/etc/passwd")), "'passwd'", "absolute");
    }

    @Test
    void symlinkClimbingAboveTheRootIsRejected() throws IOException {
        Path archive = tar("sym.tar", false, t -> t.symlink("a/b", "../../.."));

        assertRejected(archive, "'a/b'", "points outside the archive");
    }

    @Test
    void entryWrittenThroughASymlinkFromTheSameArchiveIsRejected() throws IOException {
        Path archive = tar("through.tar", false, t -> {
            t.symlink("etc", "/etc");
            t.file("etc/cron.d/evil", "* * * * * root id\n", 0644);
        });

        assertRejected(archive, "'etc/cron.d/evil'", "symlink 'etc'");
    }

    @Test
    void symlinkChainThatEscapesLexicalChecksIsRejected() throws IOException {
        // "a" is the root itself, so "a/up -> .." would point above the root once extracted.
        Path archive = tar("chain.tar", false, t -> {
            t.symlink("a", ".");
            t.symlink("a/up", "..");
        });

        assertRejected(archive, "'a/up'", "symlink 'a'");
    }

    @Test
    void hardLinkThroughASymlinkIsRejected() throws IOException {
        Path archive = tar("hard-through.tar", false, t -> {
            t.symlink("etc", "/etc");
            t.hardlink("shadow", "etc/shadow");
        });

        assertRejected(archive, "'shadow'", "symlink 'etc'");
    }

    @Test
    void zipEntryClimbingOutIsRejected() throws IOException {
        assertRejected(zip("evil.zip", Map.of("../evil", "boom")), "'../evil'", "'..'");
    }

    @Test
    void zipEntryWithAnAbsoluteNameIsRejected() throws IOException {
        assertRejected(zip("abs.zip", Map.of("/etc/evil", "boom")), "'/etc/evil'", "relative");
    }

    @Test
    void deviceNodeIsRejected() throws IOException {
        Path archive = tar("dev.tar", false, t -> t.special("null", TarArchiveEntry.LF_CHR));

        assertRejected(archive, "'null'", "device");
    }

    @Test
    void blockDeviceAndFifoAreRejected() throws IOException {
        assertRejected(tar("blk.tar", false, t -> t.special("sda", TarArchiveEntry.LF_BLK)), "'sda'", "device");
        assertRejected(tar("fifo.tar", false, t -> t.special("pipe", TarArchiveEntry.LF_FIFO)), "'pipe'", "fifo");
    }

    @Test
    void emptyTarIsRejected() throws IOException {
        assertRejected(tar("empty.tar", false, t -> { }), "empty");
    }

    @Test
    void emptyFileIsRejected() throws IOException {
        assertRejected(Files.write(dir.resolve("zero.tar"), new byte[0]), "empty");
    }

    @Test
    void emptyZipIsRejected() throws IOException {
        assertRejected(zip("empty.zip", Map.of()), "empty");
    }

    @Test
    void truncatedTarGzIsRejected() throws IOException {
        Path whole = tar("whole.tar.gz", true, t -> t.file("big.bin", "0123456789abcdef".repeat(4096), 0644));
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.tar.gz"), Arrays.copyOf(bytes, bytes.length / 2));

        assertRejected(cut, "cannot read archive", "tar, tar.gz or zip");
    }

    @Test
    void truncatedTarIsRejected() throws IOException {
        Path whole = tar("whole.tar", false, t -> t.file("big.bin", "x".repeat(10_000), 0644));
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.tar"), Arrays.copyOf(bytes, 512 + 4000));

        assertRejected(cut, "cannot read archive");
    }

    @Test
    void fileThatIsNotAnArchiveIsRejected() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.tar"), "these are my notes, not an archive\n".repeat(40));

        assertRejected(text, "tar, tar.gz or zip");
    }

    @Test
    void shortTextFileIsRejected() throws IOException {
        assertRejected(Files.writeString(dir.resolve("hello.txt"), "hello\n"), "not a tar archive");
    }

    @Test
    void missingFileIsRejectedNamingThePath() {
        Path missing = dir.resolve("nope.zip");

        assertRejected(missing, "'" + missing + "'", "existing");
    }

    @Test
    void directoryInsteadOfAFileIsRejected() {
        assertRejected(dir, "existing .tar, .tar.gz or .zip file");
    }

    // ---- helpers -----------------------------------------------------------------------------

    private void assertRejected(Path archive, String... fragments) {
        BerthException e = catchThrowableOfType(BerthException.class,
                () -> SafeTar.normalise(FIELD, archive, "/var/task", OutputStream.nullOutputStream()));

        assertThat(e).as("archive %s should be rejected", archive.getFileName()).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SPEC);
        assertThat(e.field()).isEqualTo(FIELD);
        assertThat(e.getMessage()).startsWith(FIELD + ": ").contains(fragments);
    }

    private static List<Entry> normalise(Path archive) throws IOException {
        var bytes = new ByteArrayOutputStream();
        SafeTar.normalise(FIELD, archive, "/var/task", bytes);
        return read(bytes.toByteArray());
    }

    private static Entry entry(List<Entry> entries, String name) {
        return entries.stream().filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no entry " + name + " in " + entries));
    }

    record Entry(String name, boolean directory, String content, int mode, String symlinkTo, String hardlinkTo) {
    }

    private static List<Entry> read(byte[] tar) throws IOException {
        var out = new ArrayList<Entry>();
        try (var in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                String content = e.isSymbolicLink() || e.isLink() || e.isDirectory() ? null : new String(in.readAllBytes(), UTF_8);
                out.add(new Entry(e.getName(), e.isDirectory(), content, e.getMode(),
                        e.isSymbolicLink() ? e.getLinkName() : null, e.isLink() ? e.getLinkName() : null));
            }
        }
        return out;
    }

    interface TarContent {
        void write(TarBuilder t) throws IOException;
    }

    /** Writes raw entries, names kept exactly as given (absolute and '..' included). */
    static final class TarBuilder {
        private final TarArchiveOutputStream out;

        TarBuilder(TarArchiveOutputStream out) {
            this.out = out;
        }

        void dir(String name) throws IOException {
            var e = new TarArchiveEntry(name, TarArchiveEntry.LF_DIR, true);
            e.setMode(040755);
            out.putArchiveEntry(e);
            out.closeArchiveEntry();
        }

        void file(String name, String content, int mode) throws IOException {
            byte[] data = content.getBytes(UTF_8);
            var e = new TarArchiveEntry(name, TarArchiveEntry.LF_NORMAL, true);
            e.setMode(0100000 | mode);
            e.setSize(data.length);
            out.putArchiveEntry(e);
            out.write(data);
            out.closeArchiveEntry();
        }

        void symlink(String name, String target) throws IOException {
            var e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK, true);
            e.setLinkName(target);
            out.putArchiveEntry(e);
            out.closeArchiveEntry();
        }

        void hardlink(String name, String target) throws IOException {
            var e = new TarArchiveEntry(name, TarArchiveEntry.LF_LINK, true);
            e.setLinkName(target);
            out.putArchiveEntry(e);
            out.closeArchiveEntry();
        }

        void special(String name, byte type) throws IOException {
            var e = new TarArchiveEntry(name, type, true);
            e.setDevMajor(1);
            e.setDevMinor(3);
            out.putArchiveEntry(e);
            out.closeArchiveEntry();
        }
    }

    private Path tar(String fileName, boolean gzip, TarContent content) throws IOException {
        Path file = dir.resolve(fileName);
        try (OutputStream raw = Files.newOutputStream(file);
             OutputStream maybeGz = gzip ? new GzipCompressorOutputStream(raw) : raw;
             var out = new TarArchiveOutputStream(maybeGz)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            content.write(new TarBuilder(out));
            out.finish();
        }
        return file;
    }

    private Path zip(String fileName, Map<String, String> entries) throws IOException {
        Path file = dir.resolve(fileName);
        if (entries.isEmpty()) {
            // ZipOutputStream refuses to write no entries: just the end-of-central-directory record.
            byte[] eocd = new byte[22];
            eocd[0] = 'P';
            eocd[1] = 'K';
            eocd[2] = 5;
            eocd[3] = 6;
            return Files.write(file, eocd);
        }
        try (var out = new ZipOutputStream(Files.newOutputStream(file))) {
            for (var e : new java.util.TreeMap<>(entries).entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue().getBytes(UTF_8));
                out.closeEntry();
            }
        }
        return file;
    }
}
