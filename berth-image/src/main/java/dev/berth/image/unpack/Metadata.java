package dev.berth.image.unpack;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Owner, mode, times and xattrs of unpacked entries. Owner before mode (chown clears setuid bits),
 * mode and times after content; directories last of all, since writing into a directory changes
 * its mtime and a read-only mode would stop the writing.
 *
 * <p>Every path given here was just resolved: its parent chain holds no symlink, so calls that follow
 * links are used only where the final component is known not to be one.
 */
final class Metadata {
    private static final String USER_PREFIX = "user.";

    private record PendingDirectory(String name, String rel, int mode, FileTime mtime, FileTime atime) {
    }

    private final HostTools host;
    private final Notes notes;
    private final List<PendingDirectory> directories = new ArrayList<>();

    Metadata(HostTools host, Notes notes) {
        this.host = host;
        this.notes = notes;
    }

    /** lchown; skipped when a fresh file already has that owner (as created) or when not root. */
    void owner(Path path, TarArchiveEntry e, String name, boolean fresh) throws IOException {
        long uid = e.getLongUserId();
        long gid = e.getLongGroupId();
        if (fresh && uid == host.uid() && gid == host.gid()) {
            return;
        }
        if (!host.root()) {
            notes.add("owners not applied (not root)", name + " " + uid + ":" + gid);
            return;
        }
        if (uid < 0 || uid > Integer.MAX_VALUE || gid < 0 || gid > Integer.MAX_VALUE) {
            notes.add("owners out of range not applied", name + " " + uid + ":" + gid);
            return;
        }
        if (!fresh || uid != host.uid()) {
            Files.setAttribute(path, "unix:uid", (int) uid, LinkOption.NOFOLLOW_LINKS);
        }
        if (!fresh || gid != host.gid()) {
            Files.setAttribute(path, "unix:gid", (int) gid, LinkOption.NOFOLLOW_LINKS);
        }
    }

    /** chmod with setuid/setgid/sticky; {@code path} must not be a symlink. */
    void mode(Path path, TarArchiveEntry e) throws IOException {
        Files.setAttribute(path, "unix:mode", e.getMode() & 07777);
    }

    /** mtime (and atime from PAX, else the mtime) of the path itself, symlinks included. */
    void times(Path path, TarArchiveEntry e) throws IOException {
        FileTime mtime = e.getLastModifiedTime();
        if (mtime == null) {
            return;
        }
        FileTime atime = e.getLastAccessTime() != null ? e.getLastAccessTime() : mtime;
        Files.getFileAttributeView(path, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setTimes(mtime, atime, null);
    }

    /**
     * Applies the entry's xattrs: {@code user.*} through Java, the other namespaces through
     * setfattr when root. Failures are notes, not errors: a filesystem without xattrs, or SELinux
     * refusing {@code security.*}, should not fail a pull. {@code trusted.overlay.*} from a layer is
     * never applied: it would steer overlayfs (opaque, redirect) from inside an image.
     */
    void xattrs(Path path, Map<String, byte[]> xattrs, String name, boolean symlink) {
        for (var x : xattrs.entrySet()) {
            String key = x.getKey();
            if (key.startsWith("trusted.overlay.")) {
                notes.add("overlayfs xattrs in the layer ignored", name + " " + key);
            } else if (key.equals("security.selinux")) {
                notes.add("SELinux labels in the layer ignored (the runtime labels the rootfs)", name);
            } else if (key.startsWith(USER_PREFIX) && !symlink) {
                try {
                    Files.getFileAttributeView(path, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                            .write(key.substring(USER_PREFIX.length()), ByteBuffer.wrap(x.getValue()));
                } catch (IOException | UnsupportedOperationException e) {
                    notes.add("xattrs not applied", name + " " + key + ": " + e.getMessage());
                }
            } else if (host.canSetXattrs()) {
                try {
                    host.setXattr(path, key, x.getValue());
                } catch (IOException e) {
                    notes.add("xattrs not applied", name + " " + key + ": " + e.getMessage());
                }
            } else {
                notes.add("xattrs not applied (needs root and setfattr)", name + " " + key);
            }
        }
    }

    /** Mode and times of a directory, applied by {@link #finishDirectories} once the layer is written. */
    void deferDirectory(String name, String rel, TarArchiveEntry e) {
        FileTime mtime = e.getLastModifiedTime();
        FileTime atime = e.getLastAccessTime() != null ? e.getLastAccessTime() : mtime;
        directories.add(new PendingDirectory(name, rel, e.getMode() & 07777, mtime, atime));
    }

    /**
     * Later entries may have replaced a directory (or one of its parents) by a symlink, so each is
     * resolved again and left alone unless it is still the same real directory.
     */
    void finishDirectories(SecureResolver resolver) throws IOException {
        for (PendingDirectory d : directories) { // in entry order: a repeated directory entry wins
            SecureResolver.Dir dir;
            try {
                dir = resolver.directory(d.name(), false);
            } catch (IOException e) {
                dir = null; // replaced by a file or a symlink loop: nothing of the old directory left to set
            }
            if (dir == null || !dir.rel().equals(d.rel())) {
                continue;
            }
            Files.setAttribute(dir.path(), "unix:mode", d.mode());
            if (d.mtime() != null) {
                Files.getFileAttributeView(dir.path(), BasicFileAttributeView.class).setTimes(d.mtime(), d.atime(), null);
            }
        }
        directories.clear();
    }
}
