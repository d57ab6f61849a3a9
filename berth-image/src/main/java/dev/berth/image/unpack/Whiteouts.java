package dev.berth.image.unpack;

import dev.berth.api.error.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * OCI whiteouts of one layer. A whiteout hides content of the layers <em>below</em> only: this
 * layer's own entries survive it whatever their order in the tar, because every path the layer
 * writes is remembered ({@link #written}) and spared, with the directories leading to it. The state
 * lives for one layer; nothing carries over, so a path deleted in one layer and re-created in the
 * next simply exists.
 */
final class Whiteouts {
    private static final byte[] OPAQUE_VALUE = "y".getBytes(StandardCharsets.US_ASCII);

    private final SecureResolver resolver;
    private final WhiteoutMode mode;
    private final HostTools host;
    private final Notes notes;
    private final Set<String> written = new HashSet<>();
    private final Set<String> writtenAncestors = new HashSet<>();
    private final List<EntryName> pendingOverlay = new ArrayList<>();

    Whiteouts(SecureResolver resolver, WhiteoutMode mode, HostTools host, Notes notes) {
        this.resolver = resolver;
        this.mode = mode;
        this.host = host;
        this.notes = notes;
    }

    /** Records that this layer wrote {@code rel} (a real path relative to the root). */
    void written(String rel) {
        written.add(rel);
        for (int slash = rel.lastIndexOf('/'); slash > 0; slash = rel.lastIndexOf('/', slash - 1)) {
            if (!writtenAncestors.add(rel.substring(0, slash))) {
                break;
            }
        }
    }

    /** Handles an entry whose last component starts with {@code .wh.}. */
    void apply(EntryName name) throws IOException {
        if (name.last().equals(EntryName.OPAQUE_MARKER)) {
            opaque(name);
            return;
        }
        if (name.last().startsWith(EntryName.WHITEOUT_PREFIX + EntryName.WHITEOUT_PREFIX)) {
            notes.add("aufs metadata entries ignored", name.path());
            return;
        }
        String hidden = name.last().substring(EntryName.WHITEOUT_PREFIX.length());
        if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
            throw new RejectedEntry("whiteout names no file in its directory");
        }
        if (mode == WhiteoutMode.OVERLAY) {
            pendingOverlay.add(name);
            return;
        }
        SecureResolver.Dir dir = resolver.directory(name.parent(), false);
        if (dir != null) {
            removeLower(dir.path().resolve(hidden), dir.child(hidden));
            resolver.invalidate();
        }
    }

    /**
     * Overlay mode: creates the whiteout devices and opaque marks once the layer's entries are all
     * written, so entry order does not matter: a path the layer itself writes gets no whiteout (its
     * file hides the lower one; its directory is marked opaque instead). Paths are resolved again
     * here, inside the root, since later entries may have changed the tree.
     */
    void finish() throws IOException {
        for (EntryName name : pendingOverlay) {
            try {
                if (name.last().equals(EntryName.OPAQUE_MARKER)) {
                    SecureResolver.Dir dir = resolver.directory(name.parent(), true);
                    markOpaque(dir.path(), dir.rel());
                } else {
                    overlayWhiteout(resolver.directory(name.parent(), true), name.last().substring(EntryName.WHITEOUT_PREFIX.length()));
                }
            } catch (RejectedEntry e) {
                throw e.forEntry(name.path());
            }
        }
        pendingOverlay.clear();
    }

    private void opaque(EntryName name) throws IOException {
        if (mode == WhiteoutMode.APPLY) {
            SecureResolver.Dir dir = resolver.directory(name.parent(), false);
            if (dir == null) {
                return;
            }
            try (DirectoryStream<Path> children = Files.newDirectoryStream(dir.path())) {
                for (Path child : children) {
                    removeLower(child, dir.child(child.getFileName().toString()));
                }
            }
            resolver.invalidate();
        } else {
            pendingOverlay.add(name);
        }
    }

    /** Deletes {@code path} and what is under it, except what this layer wrote and the directories leading there. */
    private void removeLower(Path path, String rel) throws IOException {
        BasicFileAttributes attrs = SecureResolver.lstat(path);
        if (attrs == null) {
            return;
        }
        if (!written.contains(rel) && !writtenAncestors.contains(rel)) {
            FileTrees.delete(path);
            return;
        }
        if (attrs.isDirectory()) {
            try (DirectoryStream<Path> children = Files.newDirectoryStream(path)) {
                for (Path child : children) {
                    removeLower(child, rel + "/" + child.getFileName());
                }
            }
        }
    }

    private void overlayWhiteout(SecureResolver.Dir dir, String hidden) throws IOException {
        Path path = dir.path().resolve(hidden);
        String rel = dir.child(hidden);
        BasicFileAttributes attrs = SecureResolver.lstat(path);
        if (attrs != null) { // the layer's own entry (or an earlier whiteout of the same name)
            if (attrs.isDirectory()) {
                markOpaque(path, rel); // a new directory replacing the lower one
            }
            return;
        }
        if (!host.root()) {
            throw overlayUnsupported("a whiteout device (char 0/0) needs root");
        }
        try {
            host.mknod(path, 'c', 0, 0, 0);
        } catch (IOException e) {
            throw overlayUnsupported("cannot create whiteout device " + rel + ": " + e.getMessage());
        }
    }

    private void markOpaque(Path dir, String rel) {
        if (!host.canSetXattrs()) {
            throw overlayUnsupported("marking " + (rel.isEmpty() ? "/" : rel)
                    + " opaque needs root and setfattr (package attr) for trusted.overlay.opaque");
        }
        try {
            host.setXattr(dir, "trusted.overlay.opaque", OPAQUE_VALUE);
        } catch (IOException e) {
            throw overlayUnsupported("cannot set trusted.overlay.opaque on " + (rel.isEmpty() ? "/" : rel) + ": " + e.getMessage());
        }
    }

    private static RejectedEntry overlayUnsupported(String why) {
        return new RejectedEntry(ErrorCode.UNSUPPORTED, "overlay whiteouts not possible here (" + why + "); flatten the layers instead");
    }
}
