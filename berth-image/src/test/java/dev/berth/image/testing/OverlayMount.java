package dev.berth.image.testing;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * An overlayfs mount of unpacked layer directories inside a test's temp dir, unmounted on close
 * (and checked gone from {@code /proc/mounts}). Needs root; see {@link #possibleIn}. Commands run as
 * argv, never through a shell.
 */
public final class OverlayMount implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Path merged;

    private OverlayMount(Path merged) {
        this.merged = merged;
    }

    /** Whether this host can mount overlayfs with upper and work directories under {@code dir}. */
    public static boolean possibleIn(Path dir) {
        try {
            return new UnixSystem().getUid() == 0
                    && Files.readString(Path.of("/proc/filesystems")).contains("\toverlay\n")
                    && !Files.getFileStore(dir).type().equals("overlay") // an upper dir cannot live on overlayfs
                    && Processes.available("mount") && Processes.available("umount");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Mounts {@code lowerBottomFirst} (bottom layer first, as {@code layerDirs} returns them) with an
     * empty upper directory; everything lives under {@code dir}, which must not exist yet.
     */
    public static OverlayMount mount(List<Path> lowerBottomFirst, Path dir) {
        try {
            Path upper = Files.createDirectories(dir.resolve("upper"));
            Path work = Files.createDirectories(dir.resolve("work"));
            Path merged = Files.createDirectories(dir.resolve("merged"));
            List<String> lower = lowerBottomFirst.reversed().stream().map(Path::toString).toList(); // lowerdir: top first
            for (String path : List.of(String.join(":", lower), upper.toString(), work.toString(), merged.toString())) {
                if (path.contains(",") || path.contains(" ") || path.contains("\\")) {
                    throw new AssertionError("path not usable in overlay mount options: " + path);
                }
            }
            if (lower.stream().anyMatch(p -> p.contains(":"))) {
                throw new AssertionError("a lower dir contains ':': " + lower);
            }
            Processes.runOrFail(TIMEOUT, List.of("mount", "-t", "overlay", "overlay", "-o",
                    "lowerdir=" + String.join(":", lower) + ",upperdir=" + upper + ",workdir=" + work, merged.toString()));
            return new OverlayMount(merged);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path root() {
        return merged;
    }

    /** Whether {@code /proc/mounts} lists a mount at {@code mountPoint}. */
    public static boolean mounted(Path mountPoint) {
        try {
            return Files.readAllLines(Path.of("/proc/mounts")).stream()
                    .map(line -> line.split(" "))
                    .anyMatch(fields -> fields.length > 1 && fields[1].equals(mountPoint.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        var result = Processes.run(TIMEOUT, List.of("umount", merged.toString()));
        if (result.exitCode() != 0 && mounted(merged)) {
            // Busy (a leaked open file): detach it so nothing stays mounted after the test.
            Processes.run(TIMEOUT, List.of("umount", "-l", merged.toString()));
        }
        if (mounted(merged)) {
            throw new AssertionError("overlay still mounted at " + merged + ": " + result.output());
        }
    }
}
