package dev.berth.image.imports;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a directory tree as a layer tar: paths relative to the root in sorted order,
 * directories, regular files and symlinks (never followed) with their mode, owner and mtime.
 * Sockets, FIFOs and device nodes are skipped with a warning: a layer built by a user this way
 * has no business creating devices.
 */
final class LayerTarWriter {
    private static final System.Logger LOG = System.getLogger(LayerTarWriter.class.getName());

    private LayerTarWriter() {
    }

    static void write(Path root, OutputStream out) throws IOException {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, root + " is not a directory");
        }
        var paths = new ArrayList<Path>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(root)) {
                    paths.add(dir);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                paths.add(file);
                return FileVisitResult.CONTINUE;
            }
        });
        paths.sort(null);
        var tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        for (Path path : paths) {
            writeEntry(tar, root, path);
        }
        tar.finish();
    }

    private static void writeEntry(TarArchiveOutputStream tar, Path root, Path path) throws IOException {
        String name = root.relativize(path).toString();
        Map<String, Object> unix = unixAttributes(path);
        BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        TarArchiveEntry entry;
        if (attrs.isSymbolicLink()) {
            entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
            entry.setLinkName(Files.readSymbolicLink(path).toString());
        } else if (attrs.isDirectory()) {
            entry = new TarArchiveEntry(name + "/");
        } else if (attrs.isRegularFile()) {
            entry = new TarArchiveEntry(name);
            entry.setSize(attrs.size());
        } else {
            LOG.log(System.Logger.Level.WARNING, "skipping " + path + ": not a file, directory or symlink");
            return;
        }
        entry.setModTime(attrs.lastModifiedTime());
        if (unix != null) {
            entry.setMode(((Integer) unix.get("mode")) & 07777 | (entry.getMode() & ~07777));
            entry.setUserId(((Number) unix.get("uid")).longValue());
            entry.setGroupId(((Number) unix.get("gid")).longValue());
        }
        tar.putArchiveEntry(entry);
        if (attrs.isRegularFile()) {
            Files.copy(path, tar);
        }
        tar.closeArchiveEntry();
    }

    private static Map<String, Object> unixAttributes(Path path) {
        try {
            return Files.readAttributes(path, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IOException e) {
            return null;
        }
    }
}
