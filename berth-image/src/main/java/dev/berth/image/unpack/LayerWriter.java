package dev.berth.image.unpack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Writes the entries of one layer into a root. Every entry's parent is resolved inside the root by
 * {@link SecureResolver}; the final component is never followed: whatever is there (a symlink
 * pointing out, a lower layer's directory) is removed and replaced, and files are created with
 * {@code CREATE_NEW} + {@code NOFOLLOW_LINKS}.
 */
final class LayerWriter {
    private static final Set<OpenOption> CREATE =
            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);

    private static final String AUFS_PREFIX = EntryName.WHITEOUT_PREFIX + EntryName.WHITEOUT_PREFIX;

    private final SecureResolver resolver;
    private final HostTools host;
    private final Notes notes;
    private final Metadata metadata;
    private final Whiteouts whiteouts;
    private final byte[] buffer;
    private long bytes;

    LayerWriter(SecureResolver resolver, WhiteoutMode mode, HostTools host, Notes notes, byte[] buffer) {
        this.resolver = resolver;
        this.host = host;
        this.notes = notes;
        this.metadata = new Metadata(host, notes);
        this.whiteouts = new Whiteouts(resolver, mode, host, notes);
        this.buffer = buffer;
    }

    long bytes() {
        return bytes;
    }

    void write(TarArchiveEntry e, LayerTarInput.RawHeaders raw, InputStream data) throws IOException {
        EntryName name = EntryName.parse(raw.path() != null ? raw.path() : e.getName());
        if (name.isRoot()) {
            if (!e.isDirectory()) {
                throw new RejectedEntry("only a directory entry may name the root");
            }
            metadata.owner(resolver.root(), e, "/", false);
            metadata.deferDirectory("", "", e);
            return;
        }
        if (name.parent().startsWith(EntryName.WHITEOUT_PREFIX) || name.parent().contains("/" + EntryName.WHITEOUT_PREFIX)) {
            if (!name.path().startsWith(AUFS_PREFIX) && !name.path().contains("/" + AUFS_PREFIX)) {
                throw new RejectedEntry("a whiteout name used as a directory");
            }
            notes.add("aufs metadata entries ignored", name.path());
            return;
        }
        if (name.isWhiteout()) {
            whiteouts.apply(name);
            return;
        }
        SecureResolver.Dir parent = resolver.directory(name.parent(), true);
        Path target = parent.path().resolve(name.last());
        String rel = parent.child(name.last());
        String linkName = raw.linkPath() != null ? raw.linkPath() : e.getLinkName();
        if (e.isDirectory()) {
            directory(target, name, rel, e);
        } else if (e.isSymbolicLink()) {
            symlink(target, linkName, e, name);
        } else if (e.isLink()) {
            hardLink(target, linkName);
        } else if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
            if (!special(target, e, name)) {
                return;
            }
        } else if (e.isFile()) {
            regular(target, e, name, data);
        } else {
            notes.add("entries of unsupported type skipped", name.path() + " (type '" + (char) e.getLinkFlag() + "')");
            return;
        }
        whiteouts.written(rel);
        if (!raw.xattrs().isEmpty() && !e.isLink()) {
            metadata.xattrs(target, raw.xattrs(), name.path(), e.isSymbolicLink());
        }
    }

    /** Whiteout devices and opaque marks (overlay mode), then directory modes and times. */
    void finish() throws IOException {
        whiteouts.finish();
        metadata.finishDirectories(resolver);
    }

    private void directory(Path target, EntryName name, String rel, TarArchiveEntry e) throws IOException {
        BasicFileAttributes existing = SecureResolver.lstat(target);
        boolean fresh = existing == null || !existing.isDirectory();
        if (fresh) {
            if (existing != null) {
                remove(target, existing);
            }
            Files.createDirectory(target);
        }
        metadata.owner(target, e, name.path(), fresh);
        metadata.deferDirectory(name.path(), rel, e);
    }

    private void regular(Path target, TarArchiveEntry e, EntryName name, InputStream data) throws IOException {
        try (FileChannel channel = create(target)) {
            for (int n = data.read(buffer); n >= 0; n = data.read(buffer)) {
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                while (chunk.hasRemaining()) {
                    channel.write(chunk);
                }
                bytes += n;
            }
        }
        metadata.owner(target, e, name.path(), true);
        metadata.mode(target, e);
        metadata.times(target, e);
    }

    private FileChannel create(Path target) throws IOException {
        try {
            return FileChannel.open(target, CREATE);
        } catch (FileAlreadyExistsException replaced) {
            remove(target, SecureResolver.lstat(target));
            return FileChannel.open(target, CREATE);
        }
    }

    private void symlink(Path target, String linkName, TarArchiveEntry e, EntryName name) throws IOException {
        Path destination;
        try {
            destination = Path.of(linkName);
        } catch (InvalidPathException bad) {
            throw new RejectedEntry("symlink target is not a valid path");
        }
        if (linkName.isEmpty()) {
            throw new RejectedEntry("symlink with an empty target");
        }
        resolver.invalidate();
        try {
            Files.createSymbolicLink(target, destination);
        } catch (FileAlreadyExistsException replaced) {
            remove(target, SecureResolver.lstat(target));
            Files.createSymbolicLink(target, destination);
        }
        metadata.owner(target, e, name.path(), true);
        metadata.times(target, e);
    }

    /**
     * The link target is an archive path, resolved like any entry (inside the root, its last
     * component not followed), so the new link can only share an inode that is already in the root.
     */
    private void hardLink(Path target, String linkName) throws IOException {
        EntryName source;
        try {
            source = EntryName.parse(linkName);
        } catch (RejectedEntry bad) {
            throw new RejectedEntry("hard link target '" + linkName + "': " + bad.getMessage());
        }
        SecureResolver.Dir dir = source.isRoot() ? null : resolver.directory(source.parent(), false);
        Path existing = dir == null ? null : dir.path().resolve(source.last());
        BasicFileAttributes attrs = existing == null ? null : SecureResolver.lstat(existing);
        if (attrs == null) {
            throw new RejectedEntry("hard link target '" + linkName + "' does not exist in the layer or below");
        }
        if (attrs.isDirectory()) {
            throw new RejectedEntry("hard link to a directory '" + linkName + "'");
        }
        if (existing.equals(target)) {
            return;
        }
        BasicFileAttributes present = SecureResolver.lstat(target);
        if (present != null) {
            remove(target, present);
        }
        Files.createLink(target, existing);
    }

    /** Device nodes when root; fifos always. Returns false when skipped (with a note). */
    private boolean special(Path target, TarArchiveEntry e, EntryName name) throws IOException {
        boolean fifo = e.isFIFO();
        if (!fifo && !host.root()) {
            notes.add("device nodes skipped (not root)", name.path());
            return false;
        }
        BasicFileAttributes present = SecureResolver.lstat(target);
        if (present != null) {
            remove(target, present);
        }
        try {
            host.mknod(target, fifo ? 'p' : e.isCharacterDevice() ? 'c' : 'b', e.getMode(), e.getDevMajor(), e.getDevMinor());
        } catch (IOException failed) {
            notes.add(fifo ? "fifos skipped" : "device nodes skipped", name.path() + ": " + failed.getMessage());
            return false;
        }
        metadata.owner(target, e, name.path(), true);
        return true; // times are left: setting them opens the node, which blocks on a fifo and may act on a device
    }

    private void remove(Path path, BasicFileAttributes attrs) throws IOException {
        if (attrs == null) {
            return;
        }
        if (attrs.isDirectory() || attrs.isSymbolicLink()) {
            resolver.invalidate();
        }
        if (attrs.isDirectory()) {
            FileTrees.delete(path);
        } else {
            Files.delete(path);
        }
    }
}
