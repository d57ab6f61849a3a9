package dev.berth.image.unpack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resolution only reads the tree (except {@code directory(..., true)} inside the temp root). */
class SecureResolverTest {
    @TempDir
    Path base;

    private Path root;
    private SecureResolver resolver;

    @BeforeEach
    void tree() throws IOException {
        root = Files.createDirectories(base.resolve("rootfs"));
        Files.createDirectories(root.resolve("usr/lib"));
        Files.writeString(root.resolve("usr/lib/file"), "f");
        Files.createSymbolicLink(root.resolve("lib"), Path.of("usr/lib"));
        Files.createSymbolicLink(root.resolve("abs"), Path.of("/usr"));
        Files.createSymbolicLink(root.resolve("climb"), Path.of("../../../.."));
        Files.createSymbolicLink(root.resolve("host"), base);
        Files.createSymbolicLink(root.resolve("loop"), Path.of("loop"));
        resolver = new SecureResolver(root);
    }

    @Test
    void relativeAndAbsoluteSymlinksResolveInsideTheRoot() throws IOException {
        assertThat(resolver.resolve("lib/file")).isEqualTo(root.resolve("usr/lib/file"));
        assertThat(resolver.resolve("/abs/lib/file")).isEqualTo(root.resolve("usr/lib/file"));
        assertThat(resolver.resolve("abs/../etc")).isEqualTo(root.resolve("etc"));
    }

    @Test
    void dotDotAndClimbingSymlinksStopAtTheRoot() throws IOException {
        assertThat(resolver.resolve("../../etc/passwd")).isEqualTo(root.resolve("etc/passwd"));
        assertThat(resolver.resolve("climb/usr/lib/file")).isEqualTo(root.resolve("usr/lib/file"));
        assertThat(resolver.resolve("climb")).isEqualTo(root);
        assertThat(resolver.resolve("host/x")).isEqualTo(root.resolve(base.toString().substring(1) + "/x"));
    }

    @Test
    void missingTailIsAppendedLexicallyStillClamped() throws IOException {
        assertThat(resolver.resolve("lib/new/../../../../x")).isEqualTo(root.resolve("x"));
    }

    @Test
    void loopsAndFilesInTheMiddleAreErrors() {
        assertThatThrownBy(() -> resolver.resolve("loop/x")).isInstanceOf(FileSystemLoopException.class);
        assertThatThrownBy(() -> resolver.resolve("usr/lib/file/x")).isInstanceOf(NotDirectoryException.class);
    }

    @Test
    void directoryCreatesMissingParentsInsideTheRootOnlyWhenAsked() throws IOException {
        assertThat(resolver.directory("host/made/here", false)).isNull();
        SecureResolver.Dir made = resolver.directory("host/made/here", true);

        assertThat(made.path()).isEqualTo(root.resolve(base.toString().substring(1) + "/made/here"));
        assertThat(made.rel()).isEqualTo(base.toString().substring(1) + "/made/here");
        assertThat(Files.exists(base.resolve("made"))).isFalse();
    }

    @Test
    void cachedDirectoriesAreForgottenWhenInvalidated() throws IOException {
        assertThat(resolver.directory("lib", false).path()).isEqualTo(root.resolve("usr/lib"));
        Files.delete(root.resolve("lib"));
        Files.createDirectory(root.resolve("lib"));
        resolver.invalidate();

        assertThat(resolver.directory("lib", false).path()).isEqualTo(root.resolve("lib"));
    }
}
