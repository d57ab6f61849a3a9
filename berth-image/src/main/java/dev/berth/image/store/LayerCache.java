package dev.berth.image.store;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.image.ref.Digest;
import dev.berth.image.unpack.FileTrees;
import dev.berth.image.unpack.LayerUnpacker;
import dev.berth.image.unpack.WhiteoutMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Layers unpacked once per layer digest, for stacking with overlayfs: {@code <root>/layers/sha256/<hex>/}
 * holds the layer with its whiteouts as overlay whiteouts (0/0 character devices,
 * {@code trusted.overlay.opaque=y}). A directory under its final name is always complete: a layer
 * is unpacked under {@code <root>/layers/ingest/} and renamed into place once its blob checked out,
 * and {@link #delete} renames it away before removing it.
 *
 * <p>One unpack per digest at a time: a striped lock in this JVM, and the same stripe's byte of
 * {@code <root>/layers.lock} (an fcntl lock) across processes. Callers hold the store's lease so
 * that prune, which deletes under the exclusive side, never meets an unpack in progress.
 */
final class LayerCache implements AutoCloseable {
    private static final int STRIPES = 64;

    private final Path layers;
    private final Path ingest;
    private final Path lockPath;
    private final BlobStore blobs;
    private final LayerUnpacker unpacker;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private final ReentrantLock channelGuard = new ReentrantLock();
    private final Map<Digest, String> unsupported = new ConcurrentHashMap<>();
    private final AtomicInteger unpacks = new AtomicInteger();
    private FileChannel channel;
    private boolean closed;

    LayerCache(Path root, BlobStore blobs, LayerUnpacker unpacker) {
        this.layers = root.resolve("layers").resolve("sha256");
        this.ingest = root.resolve("layers").resolve("ingest");
        this.lockPath = root.resolve("layers.lock");
        this.blobs = blobs;
        this.unpacker = unpacker;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
        try {
            Files.createDirectories(layers);
            Files.createDirectories(ingest);
            channel = openLockFile();
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot create the layer directories under " + root + ": " + e, e);
        }
    }

    /** Where the unpacked layer {@code digest} lives (or would live). */
    Path path(Digest digest) {
        return layers.resolve(digest.hex());
    }

    /**
     * The layer's directory, unpacked now unless it already was. Fails with
     * {@link ErrorCode#UNSUPPORTED} when the layer has whiteouts and this host cannot make overlay
     * whiteouts (not root, no trusted xattrs): the caller flattens instead. That answer is
     * remembered, so asking again does not unpack the layer again.
     */
    Path unpacked(Descriptor layer) {
        Digest digest = layer.digest();
        Path dir = path(digest);
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return dir;
        }
        String refusal = unsupported.get(digest);
        if (refusal != null) {
            throw new BerthException(ErrorCode.UNSUPPORTED, refusal);
        }
        int stripe = Math.floorMod(digest.hex().hashCode(), STRIPES);
        stripes[stripe].lock();
        try (FileLock ignored = channel().lock(stripe, 1, false)) {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) { // another thread or process may have finished it
                unpack(layer, dir);
            }
            return dir;
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot lock " + lockPath + " to unpack layer " + digest + ": " + e, e);
        } finally {
            stripes[stripe].unlock();
        }
    }

    private void unpack(Descriptor layer, Path dir) {
        Digest digest = layer.digest();
        Path work = ingest.resolve(digest.hex() + "-" + UUID.randomUUID());
        try (InputStream in = blobs.open(digest)) {
            unpacker.unpackLayer(work, in, layer.mediaType(), digest.toString(), WhiteoutMode.OVERLAY);
            in.transferTo(OutputStream.nullOutputStream()); // the blob's digest is checked at its end
            Files.move(work, dir, StandardCopyOption.ATOMIC_MOVE);
            unpacks.incrementAndGet();
        } catch (BerthException e) {
            if (e.code() == ErrorCode.UNSUPPORTED) {
                unsupported.put(digest, e.getMessage());
            }
            throw e; // the unpacker left nothing behind
        } catch (NoSuchFileException e) {
            throw new BerthException(ErrorCode.IMAGE_NOT_FOUND, "layer " + digest + " is not in the store: " + e.getReason(), e);
        } catch (IOException e) {
            deleteQuietly(work, e);
            throw new BerthException(ErrorCode.INTERNAL, "cannot unpack layer " + digest + ": " + e.getMessage(), e);
        }
    }

    /** Digests of the layers unpacked here. */
    List<Digest> list() {
        var out = new ArrayList<Digest>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(layers)) {
            for (Path dir : dirs) {
                String name = "sha256:" + dir.getFileName();
                if (Digest.isDigest(name)) {
                    out.add(Digest.parse(name));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + layers, e);
        }
        return out;
    }

    /** Removes an unpacked layer; returns the bytes its files took. Only under the store's exclusive lock. */
    long delete(Digest digest) throws IOException {
        Path dir = path(digest);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        Path doomed = ingest.resolve(digest.hex() + "-deleting-" + UUID.randomUUID());
        Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE); // never a half-deleted layer under its name
        long bytes = bytes(doomed);
        FileTrees.delete(doomed);
        return bytes;
    }

    /** Removes what crashed unpacks and deletes left under ingest; returns the bytes. Only under the exclusive lock. */
    long deleteLeftovers() throws IOException {
        long bytes = 0;
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(ingest)) {
            for (Path leftover : leftovers) {
                bytes += bytes(leftover);
                FileTrees.delete(leftover);
            }
        }
        return bytes;
    }

    /** How many layers this cache unpacked (not counting ones found already unpacked). */
    int unpacks() {
        return unpacks.get();
    }

    /** File content bytes under {@code dir}, each inode counted once (hard links share one). */
    private static long bytes(Path dir) throws IOException {
        var seen = new HashSet<Object>();
        long[] total = new long[1];
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && (attrs.fileKey() == null || seen.add(attrs.fileKey()))) {
                    total[0] += attrs.size();
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }

    /** The lock file's channel; reopened if an interrupted lock wait closed it. */
    private FileChannel channel() throws IOException {
        channelGuard.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the image store " + lockPath.getParent() + " is closed");
            }
            if (!channel.isOpen()) {
                channel = openLockFile();
            }
            return channel;
        } finally {
            channelGuard.unlock();
        }
    }

    private FileChannel openLockFile() throws IOException {
        return FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
    }

    private static void deleteQuietly(Path dir, Exception failure) {
        try {
            if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                FileTrees.delete(dir);
            }
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public void close() throws IOException {
        channelGuard.lock();
        try {
            closed = true;
            channel.close();
        } finally {
            channelGuard.unlock();
        }
    }
}
