package dev.berth.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code files:} archives on the caller's machine, extracted into the workload before it starts. */
public interface FileCases {
    /** The kit instance running these cases (the backend's conformance test). */
    BackendConformance kit();



    @Test
    default void filesFromTarGzipAndZipArchivesAreInPlaceBeforeTheProcessStarts(@TempDir Path dir) throws IOException {
        Path tar = dir.resolve("code.tar");
        try (var out = Files.newOutputStream(tar)) {
            writeTar(out, "from-tar");
        }
        Path tgz = dir.resolve("code.tar.gz");
        try (var out = new GZIPOutputStream(Files.newOutputStream(tgz))) {
            writeTar(out, "from-tar-gz");
        }
        Path zip = dir.resolve("code.zip");
        try (var out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("app/"));
            out.closeEntry();
            out.putNextEntry(new ZipEntry("app/zip.txt"));
            out.write("from-zip\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        var spec = kit().busybox("files", "cat", "/srv/hello.txt", "/srv/sub/deep.txt", "/opt/gz/hello.txt",
                        "/opt/code/app/zip.txt")
                .file("/srv", tar.toString())
                .file("/opt/gz", tgz.toString())
                .file("/opt/code", zip.toString())
                .build();

        var exit = kit().runToExit(spec);

        assertThat(kit().stdout(spec.name())).containsExactly("from-tar", "deep in sub", "from-tar-gz", "from-zip");
        assertThat(exit.code()).isZero();
    }

    private static void writeTar(OutputStream out, String hello) {
        var tar = new TarWriter(out);
        tar.file("hello.txt", hello + "\n", 0644);
        tar.directory("sub", 0755, 0, 0);
        tar.file("sub/deep.txt", "deep in sub\n", 0644);
        tar.finish();
    }
}
