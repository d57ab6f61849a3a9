package dev.berth.image.store;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.image.ref.Digest;
import dev.berth.image.ref.ImageReference;
import dev.berth.image.ref.Platform;
import dev.berth.image.unpack.LayerUnpacker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Berth's local image store: a {@link BlobStore} plus the name index. Layout under the root:
 * <pre>
 *   blobs/sha256/&lt;hex&gt;            manifests, indexes, configs and layers, by digest
 *   ingest/sha256-&lt;hex&gt;.partial    resumable downloads; tmp-* files being written
 *   layers/sha256/&lt;hex&gt;/          layers unpacked for overlayfs, by layer digest ({@link #layerDirs})
 *   layers/ingest/               layers being unpacked or deleted
 *   index.json                   names → {digest, manifest, platform}
 *   index.lock, gc.lock          lock files (index writers; pulls vs. prune)
 *   layers.lock                  lock file (one unpack per layer across processes)
 * </pre>
 * Blobs and unpacked layers are shared between images; {@link #prune()} deletes the ones no named
 * manifest reaches.
 */
public final class ImageStore implements AutoCloseable {
    /** Manifests and configs are small; anything larger is refused rather than read into memory. */
    public static final int MAX_DOCUMENT_BYTES = 8 * 1024 * 1024;

    private final Path root;
    private final BlobStore blobs;
    private final NameIndex index;
    private final StoreLock gcLock;
    private final LayerCache layers;

    public ImageStore(Path root) {
        this(root, new LayerUnpacker());
    }

    /** A store whose layers {@link #layerDirs} unpacks with {@code unpacker}. */
    public ImageStore(Path root, LayerUnpacker unpacker) {
        this.root = root;
        this.blobs = new BlobStore(root);
        this.index = new NameIndex(root);
        this.gcLock = new StoreLock(root.resolve("gc.lock"));
        this.layers = new LayerCache(root, blobs, unpacker);
    }

    public Path root() {
        return root;
    }

    public BlobStore blobs() {
        return blobs;
    }

    LayerCache layerCache() {
        return layers;
    }

    /** Held while adding content so that {@link #prune()} waits instead of deleting it. */
    public StoreLease lease() {
        return gcLock.shared();
    }

    public Optional<IndexEntry> entry(ImageReference ref) {
        return index.get(ref.toString());
    }

    /**
     * The image named {@code ref}, if it is complete. A digest reference also matches content
     * stored under another tag of the same repository (content addressing makes them the same).
     */
    public Optional<StoredImage> find(ImageReference ref) {
        var entries = index.read();
        IndexEntry entry = entries.get(ref.toString());
        if (entry == null && ref.digest() != null) {
            entry = entries.values().stream()
                    .filter(e -> e.name().startsWith(ref.name() + ":") || e.name().startsWith(ref.name() + "@"))
                    .filter(e -> ref.digest().equals(e.digest()) || ref.digest().equals(e.manifest()))
                    .findFirst().orElse(null);
        }
        return entry == null ? Optional.empty() : loadIfComplete(ref, entry);
    }

    /** The image whose id (config digest) is {@code id} or starts with the hex prefix {@code id}. */
    public Optional<StoredImage> findById(String id) {
        String hex = id.startsWith("sha256:") ? id.substring("sha256:".length()) : id;
        for (StoredImage image : list()) {
            if (image.configDigest().hex().startsWith(hex)) {
                return Optional.of(image);
            }
        }
        return Optional.empty();
    }

    public List<StoredImage> list() {
        var out = new ArrayList<StoredImage>();
        for (IndexEntry entry : index.read().values()) {
            loadIfComplete(ImageReference.parse(entry.name()), entry).ifPresent(out::add);
        }
        return out;
    }

    /** Names {@code manifest} (already stored with its config and layers) as {@code ref}. */
    public StoredImage put(ImageReference ref, Digest resolved, Digest manifest, Platform platform) {
        var entry = new IndexEntry(ref.toString(), resolved, manifest, platform == null ? null : platform.toString(),
                Instant.now());
        StoredImage image = load(ref, entry);
        index.update(entries -> {
            entries.put(entry.name(), entry);
            return entries;
        });
        return image;
    }

    /** Removes the name; the blobs stay until {@link #prune()}. False when the name was not there. */
    public boolean remove(ImageReference ref) {
        var removed = new boolean[1];
        index.update(entries -> {
            removed[0] = entries.remove(ref.toString()) != null;
            return entries;
        });
        return removed[0];
    }

    /**
     * The image's layers unpacked for overlayfs, bottom layer first (overlayfs' {@code lowerdir}
     * lists them top first), each unpacked once per digest and shared between images. Fails with
     * {@link ErrorCode#UNSUPPORTED} when a layer has whiteouts and this host cannot make overlay
     * whiteouts (needs root and trusted xattrs): flatten the layers instead. A directory stays until
     * {@link #prune()} finds no named image using its layer, so keep the image named while mounted.
     */
    @SuppressWarnings("try") // the lease is held for the block
    public List<Path> layerDirs(StoredImage image) {
        try (var lease = lease()) {
            return image.layers().stream().map(layers::unpacked).toList();
        }
    }

    /** Deletes every blob and unpacked layer that no named image reaches, and leftovers of downloads and unpacks. */
    @SuppressWarnings("try") // the lock is held for the block
    public PruneResult prune() {
        try (var lock = gcLock.exclusive()) {
            Set<Digest> reachable = reachable();
            int removed = 0;
            long freed = 0;
            for (Digest digest : blobs.list()) {
                if (!reachable.contains(digest)) {
                    long size = sizeOrZero(blobs.path(digest));
                    if (blobs.delete(digest)) {
                        removed++;
                        freed += size;
                    }
                }
            }
            for (Path leftover : blobs.ingestFiles()) {
                long size = sizeOrZero(leftover);
                if (Files.deleteIfExists(leftover)) {
                    freed += size;
                }
            }
            int layerDirs = 0;
            for (Digest digest : layers.list()) {
                if (!reachable.contains(digest)) {
                    freed += layers.delete(digest);
                    layerDirs++;
                }
            }
            freed += layers.deleteLeftovers();
            return new PruneResult(removed, freed, layerDirs);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "prune failed in " + root + ": " + e, e);
        }
    }

    private Set<Digest> reachable() throws IOException {
        var out = new HashSet<Digest>();
        for (IndexEntry entry : index.read().values()) {
            out.add(entry.digest());
            out.add(entry.manifest());
            if (!blobs.contains(entry.manifest())) {
                continue;
            }
            if (readManifest(entry.manifest()) instanceof Manifest.Image image) {
                out.add(image.config().digest());
                image.layers().forEach(layer -> out.add(layer.digest()));
            }
        }
        return out;
    }

    /** Reads and parses a stored manifest (verified). */
    public Manifest readManifest(Digest digest) throws IOException {
        return Manifest.parse(blobs.read(digest, MAX_DOCUMENT_BYTES), null);
    }

    /** The platform an image config declares, or null when it declares none. */
    public Platform readConfigPlatform(Digest config) throws IOException {
        return ImageConfig.parse(blobs.read(config, MAX_DOCUMENT_BYTES)).platform();
    }

    /** Whether the manifest and every blob it names are stored (cheap size checks). */
    public boolean isComplete(Digest manifestDigest) {
        if (!blobs.contains(manifestDigest)) {
            return false;
        }
        try {
            return readManifest(manifestDigest) instanceof Manifest.Image image
                    && blobs.contains(image.config())
                    && image.layers().stream().allMatch(blobs::contains);
        } catch (IOException | BerthException e) {
            return false;
        }
    }

    private Optional<StoredImage> loadIfComplete(ImageReference ref, IndexEntry entry) {
        if (!isComplete(entry.manifest())) {
            return Optional.empty();
        }
        return Optional.of(load(ref, entry));
    }

    private StoredImage load(ImageReference ref, IndexEntry entry) {
        try {
            if (!(readManifest(entry.manifest()) instanceof Manifest.Image image)) {
                throw new BerthException(ErrorCode.INTERNAL, entry.manifest() + " is an index, not an image manifest");
            }
            ImageConfig config = ImageConfig.parse(blobs.read(image.config().digest(), MAX_DOCUMENT_BYTES));
            long size = image.config().size() + image.layers().stream().mapToLong(Descriptor::size).sum();
            return new StoredImage(ref, entry.digest(), entry.manifest(), image.mediaType(), image.config().digest(),
                    image.layers(), config, size);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.IMAGE_NOT_FOUND, "image " + ref + " is incomplete in the store: " + e.getMessage(), e);
        }
    }

    private static long sizeOrZero(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        try {
            index.close();
            gcLock.close();
            layers.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
