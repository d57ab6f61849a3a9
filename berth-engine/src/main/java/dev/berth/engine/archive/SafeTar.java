package dev.berth.engine.archive;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Turns a user's archive (tar, tar.gz or zip) into a plain tar whose every entry stays inside
 * the extraction directory: no absolute names, no '..', no link pointing out, no entry written
 * through a symlink the archive itself made, no device nodes.
 * Backends then copy that tar into the workload; a bad archive is rejected before anything is
 * created.
 */
public final class SafeTar {
    private static final int GZIP_MAGIC = 0x1f8b;
    private static final int ZIP_MAGIC = 0x504b;

    private SafeTar() {
    }

    /**
     * Writes the normalised tar of {@code archive} to {@code out}, every entry placed under the
     * absolute directory {@code target} (whose own directories are included, so the tar can be
     * extracted at the root of a filesystem that lacks them). {@code field} names the spec field.
     */
    public static void normalise(String field, Path archive, String target, OutputStream out) {
        if (!Files.isRegularFile(archive)) {
            throw BerthException.invalidField(field, archive.toString(), "required: an existing .tar, .tar.gz or .zip file");
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive));
             var tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            String prefix = prefixDirs(target, tar);
            raw.mark(4);
            int magic = (raw.read() << 8) | raw.read();
            raw.reset();
            if (magic == ZIP_MAGIC) {
                copyZip(field, archive, prefix, tar);
            } else {
                InputStream plain = magic == GZIP_MAGIC ? new GzipCompressorInputStream(raw) : raw;
                copyTar(field, plain, prefix, tar);
            }
            tar.finish();
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INVALID_SPEC,
                    field + ": cannot read archive " + archive + " (" + e.getMessage() + "); allowed: tar, tar.gz or zip", field, e);
        }
    }

    private static void copyTar(String field, InputStream in, String prefix, TarArchiveOutputStream out) throws IOException {
        var tar = new TarArchiveInputStream(in);
        var symlinks = new HashSet<String>();
        int count = 0;
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
            count++;
            String name = safeName(field, e.getName());
            if (name.isEmpty()) {
                continue; // "./": the extraction root itself
            }
            if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
                throw rejected(field, e.getName(), "device and fifo entries are not allowed");
            }
            notThroughSymlink(field, e.getName(), canonical(name), symlinks);
            if (e.isSymbolicLink() || e.isLink()) {
                checkLink(field, name, e.getLinkName(), e.isLink());
            }
            if (e.isLink()) {
                notThroughSymlink(field, e.getName(), canonical(safeName(field, e.getLinkName())), symlinks);
            } else if (e.isSymbolicLink()) {
                symlinks.add(canonical(name));
            }
            var copy = new TarArchiveEntry(prefix + name, e.isSymbolicLink() ? TarArchiveEntry.LF_SYMLINK
                    : e.isLink() ? TarArchiveEntry.LF_LINK : e.isDirectory() ? TarArchiveEntry.LF_DIR : TarArchiveEntry.LF_NORMAL);
            if (e.isSymbolicLink() || e.isLink()) {
                copy.setLinkName(e.isLink() ? prefix + safeName(field, e.getLinkName()) : e.getLinkName());
            }
            copy.setMode(e.getMode());
            copy.setModTime(e.getModTime());
            copy.setUserId(e.getLongUserId());
            copy.setGroupId(e.getLongGroupId());
            copy.setSize(e.isFile() ? e.getSize() : 0);
            out.putArchiveEntry(copy);
            if (e.isFile()) {
                tar.transferTo(out);
            }
            out.closeArchiveEntry();
        }
        if (count == 0) {
            throw rejected(field, "", "the archive is empty or not a tar archive");
        }
    }

    /**
     * Zips are read through their central directory (commons-compress {@code ZipFile}), which
     * carries Unix modes, so an executable stays executable and symlink entries are recognised.
     */
    private static void copyZip(String field, Path archive, String prefix, TarArchiveOutputStream out) throws IOException {
        try (ZipFile zip = ZipFile.builder().setPath(archive).get()) {
            var symlinks = new HashSet<String>();
            int count = 0;
            for (ZipArchiveEntry e : java.util.Collections.list(zip.getEntriesInPhysicalOrder())) {
                count++;
                String name = safeName(field, e.getName());
                if (name.isEmpty()) {
                    continue;
                }
                notThroughSymlink(field, e.getName(), canonical(name), symlinks);
                int unixMode = e.getUnixMode() & 07777;
                TarArchiveEntry copy;
                boolean regular = !e.isUnixSymlink() && !e.isDirectory();
                if (e.isUnixSymlink()) {
                    String target;
                    try (InputStream in = zip.getInputStream(e)) {
                        target = new String(in.readNBytes(4096), java.nio.charset.StandardCharsets.UTF_8);
                    }
                    checkLink(field, name, target, false);
                    symlinks.add(canonical(name));
                    copy = new TarArchiveEntry(prefix + name, TarArchiveEntry.LF_SYMLINK);
                    copy.setLinkName(target);
                    copy.setMode(0777);
                } else {
                    boolean dir = e.isDirectory();
                    copy = new TarArchiveEntry(prefix + name, dir ? TarArchiveEntry.LF_DIR : TarArchiveEntry.LF_NORMAL);
                    copy.setMode(unixMode != 0 ? unixMode : dir ? 0755 : 0644);
                    copy.setSize(dir ? 0 : e.getSize());
                }
                if (e.getLastModifiedTime() != null) {
                    copy.setModTime(e.getLastModifiedTime());
                }
                out.putArchiveEntry(copy);
                if (regular) {
                    try (InputStream in = zip.getInputStream(e)) {
                        long copied = in.transferTo(out);
                        if (copied != e.getSize()) {
                            throw rejected(field, e.getName(), "size differs from the zip directory (corrupt archive)");
                        }
                    }
                }
                out.closeArchiveEntry();
            }
            if (count == 0) {
                throw rejected(field, "", "the zip archive is empty");
            }
        }
    }

    /** Emits directory entries for each component of {@code target}; returns the entry-name prefix. */
    private static String prefixDirs(String target, TarArchiveOutputStream out) throws IOException {
        var prefix = new StringBuilder();
        for (String part : target.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            prefix.append(part).append('/');
            var dir = new TarArchiveEntry(prefix.toString(), TarArchiveEntry.LF_DIR);
            dir.setMode(0755);
            out.putArchiveEntry(dir);
            out.closeArchiveEntry();
        }
        return prefix.toString();
    }

    /** An entry name made relative; rejects absolute names, '..' and NUL. */
    static String safeName(String field, String name) {
        if (name == null || name.isEmpty() || name.indexOf('\0') >= 0 || name.startsWith("/") || name.contains("\\")) {
            throw rejected(field, name, "entry names must be relative paths");
        }
        String stripped = name.startsWith("./") ? name.substring(2) : name;
        for (String part : stripped.split("/")) {
            if (part.equals("..")) {
                throw rejected(field, name, "entry names must not contain '..'");
            }
        }
        return stripped;
    }

    /**
     * Rejects a path whose parent directory is a symlink made by an earlier entry: the lexical
     * checks assume directories are directories, and an extractor writing through {@code etc ->
     * /etc} (or through {@code a -> .} then {@code a/up -> ..}) would land outside the target.
     */
    private static void notThroughSymlink(String field, String entry, String path, Set<String> symlinks) {
        for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
            String parent = path.substring(0, slash);
            if (symlinks.contains(parent)) {
                throw rejected(field, entry, "the path goes through symlink '" + parent + "' from the same archive");
            }
        }
    }

    /** {@code a/./b/} and {@code a/b} name the same file. */
    private static String canonical(String name) {
        var parts = new java.util.ArrayList<String>();
        for (String part : name.split("/")) {
            if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
        }
        return String.join("/", parts);
    }

    /** A link may only point inside the archive's root, judged from the link's own directory. */
    private static void checkLink(String field, String name, String target, boolean hard) {
        if (target == null || target.isEmpty() || target.indexOf('\0') >= 0) {
            throw rejected(field, name, "links need a target");
        }
        if (target.startsWith("/")) {
            if (hard) {
                throw rejected(field, name, "hard links must not have absolute targets");
            }
            return; // Absolute symlinks resolve inside the container's own root.
        }
        int depth = hard ? 0 : name.split("/").length - 1;
        for (String part : target.split("/")) {
            if (part.equals("..")) {
                depth--;
            } else if (!part.isEmpty() && !part.equals(".")) {
                depth++;
            }
            if (depth < 0) {
                throw rejected(field, name, "link target '" + target + "' points outside the archive");
            }
        }
    }

    private static BerthException rejected(String field, String entry, String why) {
        return new BerthException(ErrorCode.INVALID_SPEC, field + ": archive entry '" + entry + "' rejected: " + why, field, null);
    }
}
