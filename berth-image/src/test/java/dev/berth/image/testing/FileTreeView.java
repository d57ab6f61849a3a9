package dev.berth.image.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A directory tree as a sorted map, for exact comparisons: relative path to what is there. */
public final class FileTreeView {
    private FileTreeView() {
    }

    /**
     * {@code "dir"}, {@code "file:CONTENT"} (UTF-8), {@code "link:TARGET"}, {@code "char:MAJOR/MINOR"}
     * or {@code "other"}, for every path under {@code root} (not following symlinks).
     */
    public static Map<String, String> of(Path root) {
        var out = new TreeMap<String, String>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.filter(p -> !p.equals(root)).toList()) {
                out.put(root.relativize(p).toString(), describe(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static String describe(Path p) throws IOException {
        if (Files.isSymbolicLink(p)) {
            return "link:" + Files.readSymbolicLink(p);
        }
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            return "dir";
        }
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            return "file:" + new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
        }
        int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & 0170000) == 0020000) {
            long rdev = (Long) Files.getAttribute(p, "unix:rdev", LinkOption.NOFOLLOW_LINKS);
            return "char:" + ((rdev >> 8) & 0xfff) + "/" + ((rdev & 0xff) | ((rdev >> 12) & 0xfff00));
        }
        return "other";
    }
}
