package dev.berth.engine.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.spec.FileCopy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagedFilesTest {
    @TempDir
    Path dir;

    private Path zip(String name, String entry) throws IOException {
        Path file = dir.resolve(name);
        try (var out = new ZipOutputStream(Files.newOutputStream(file))) {
            out.putNextEntry(new ZipEntry(entry));
            out.write("data".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return file;
    }

    private static List<Path> filesIn(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.toList();
        }
    }

    @Test
    void eachArchiveBecomesOneTarThatCloseRemoves() throws IOException {
        Path tmp = dir.resolve("tmp");
        var files = List.of(new FileCopy("/var/task", zip("a.zip", "a.txt").toString()),
                new FileCopy("/etc/app", zip("b.zip", "b.conf").toString()));

        List<Path> tars;
        try (StagedFiles staged = StagedFiles.stage(files, tmp)) {
            tars = staged.tars();
            assertThat(tars).hasSize(2).allSatisfy(t -> assertThat(t).isRegularFile().hasParent(tmp));
        }

        assertThat(tars).allSatisfy(t -> assertThat(t).doesNotExist());
    }

    @Test
    void badArchiveNamesItsIndexAndLeavesNoTarBehind() throws IOException {
        Path tmp = dir.resolve("tmp");
        var files = List.of(new FileCopy("/var/task", zip("good.zip", "ok.txt").toString()),
                new FileCopy("/var/task", zip("evil.zip", "../evil").toString()));

        BerthException e = catchThrowableOfType(BerthException.class, () -> StagedFiles.stage(files, tmp));

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SPEC);
        assertThat(e.field()).isEqualTo("files[1].archive");
        assertThat(e.getMessage()).contains("'../evil'");
        assertThat(filesIn(tmp)).isEmpty();
    }
}
