package dev.berth.image;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.Credentials;
import dev.berth.api.spec.PullPolicy;
import dev.berth.image.imports.DockerArchiveImporter;
import dev.berth.image.imports.OciLayoutImporter;
import dev.berth.image.imports.RootfsImporter;
import dev.berth.image.ref.ImageReference;
import dev.berth.image.ref.Platform;
import dev.berth.image.registry.CredentialResolver;
import dev.berth.image.registry.ImagePuller;
import dev.berth.image.registry.ImagePusher;
import dev.berth.image.registry.LayerState;
import dev.berth.image.registry.PullEvent;
import dev.berth.image.registry.PullListener;
import dev.berth.image.registry.PushResult;
import dev.berth.image.registry.RegistryClient;
import dev.berth.image.registry.RegistryOptions;
import dev.berth.image.store.ImageStore;
import dev.berth.image.store.PruneResult;
import dev.berth.image.store.StoredImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;

/**
 * Berth's images: pull from registries into the local store, push, tag, remove, prune, and
 * import from OCI layouts, OCI and docker archives and root filesystems. One registry client
 * (one HTTP client, one token cache) is kept per registry and credentials; layer downloads of
 * all pulls share one concurrency limit. Thread-safe; close it to release the HTTP clients.
 */
public final class ImageService implements AutoCloseable {
    private static final Pattern IMAGE_ID = Pattern.compile("(sha256:)?[a-f0-9]{12,64}");

    private final ImageStore store;
    private final CredentialResolver credentials;
    private final RegistryOptions options;
    private final Semaphore downloads;
    private final Map<ClientKey, RegistryClient> clients = new ConcurrentHashMap<>();
    /**
     * Services opened with {@link #open}, one per store root in this JVM: the store's file locks
     * are per process, so two instances over one store in one JVM would collide on them
     * (OverlappingFileLockException) where two processes simply take turns.
     */
    private static final Map<Path, ImageService> OPEN = new java.util.HashMap<>();
    private static final java.util.concurrent.locks.ReentrantLock OPEN_LOCK = new java.util.concurrent.locks.ReentrantLock();
    private final Path sharedRoot;
    private int references;

    public ImageService(ImageStore store, CredentialResolver credentials, RegistryOptions options) {
        this(store, credentials, options, null);
    }

    private ImageService(ImageStore store, CredentialResolver credentials, RegistryOptions options, Path sharedRoot) {
        this.store = store;
        this.credentials = credentials;
        this.options = options;
        this.downloads = new Semaphore(options.maxConcurrentDownloads());
        this.sharedRoot = sharedRoot;
    }

    /**
     * The service over the store at {@code storeRoot}, with credentials from the environment and
     * default options; shared by everyone in this JVM who opens the same root (the engine and the
     * OCI backend), and really closed when the last of them closes it.
     */
    public static ImageService open(Path storeRoot) {
        Path key = storeRoot.toAbsolutePath().normalize();
        OPEN_LOCK.lock();
        try {
            ImageService service = OPEN.computeIfAbsent(key, k -> new ImageService(new ImageStore(k),
                    CredentialResolver.fromEnvironment(), RegistryOptions.defaults(), k));
            service.references++;
            return service;
        } finally {
            OPEN_LOCK.unlock();
        }
    }

    public ImageStore store() {
        return store;
    }

    /**
     * Makes {@code ref} present according to {@code policy} (null means IF_NOT_PRESENT):
     * NEVER fails with {@link ErrorCode#IMAGE_NOT_FOUND} when it is absent; IF_NOT_PRESENT
     * contacts no registry when it is present; ALWAYS asks the registry for the tag's digest
     * (one manifest HEAD) and transfers only what changed. A digest reference that is present is
     * never re-checked: its content cannot change. {@code platform} null means this host's.
     */
    public StoredImage pull(String ref, PullPolicy policy, Credentials credentials, Platform platform,
                            PullListener listener) {
        ImageReference reference = ImageReference.parse(ref);
        Platform wanted = platform == null ? Platform.host() : platform;
        PullListener events = listener == null ? PullListener.NONE : listener;
        Optional<StoredImage> local = findForPull(reference, wanted);
        switch (policy == null ? PullPolicy.IF_NOT_PRESENT : policy) {
            case NEVER -> {
                return cached(local.orElseThrow(() -> new BerthException(ErrorCode.IMAGE_NOT_FOUND, "image " + reference
                        + " is not in the local store and the pull policy is Never; pull or import it first")), events);
            }
            case IF_NOT_PRESENT -> {
                if (local.isPresent()) {
                    return cached(local.get(), events);
                }
            }
            case ALWAYS -> {
                if (local.isPresent() && reference.digest() != null) {
                    return cached(local.get(), events);
                }
            }
        }
        ImagePuller puller = new ImagePuller(client(reference, credentials), store, downloads, options.maxAttempts());
        if (policy == PullPolicy.ALWAYS && local.isPresent()) {
            Optional<StoredImage> unchanged = puller.unchanged(reference, wanted);
            if (unchanged.isPresent()) {
                return cached(unchanged.get(), events);
            }
        }
        return puller.pull(reference, wanted, events);
    }

    private Optional<StoredImage> findForPull(ImageReference reference, Platform platform) {
        var entry = store.entry(reference);
        if (entry.isPresent() && reference.digest() == null && !ImagePuller.platformMatches(entry.get(), platform)) {
            return Optional.empty();
        }
        Optional<StoredImage> found = store.find(reference);
        if (found.isPresent() && entry.isEmpty()) {
            // Found by digest under another name: record this name too.
            StoredImage image = found.get();
            return Optional.of(store.put(reference, image.digest(), image.manifestDigest(), image.config().platform()));
        }
        return found;
    }

    private static StoredImage cached(StoredImage image, PullListener listener) {
        for (var layer : image.layers()) {
            listener.onEvent(new PullEvent(image.reference().toString(), layer.digest(), LayerState.CACHED,
                    layer.size(), layer.size()));
        }
        return image;
    }

    /** The stored image named {@code ref}, or with that id (config digest, or a unique prefix of at least 12 hex digits). */
    public Optional<StoredImage> find(String ref) {
        if (IMAGE_ID.matcher(ref).matches()) {
            Optional<StoredImage> byId = store.findById(ref);
            if (byId.isPresent()) {
                return byId;
            }
        }
        return store.find(ImageReference.parse(ref));
    }

    public List<StoredImage> list() {
        return store.list();
    }

    /** Names the image {@code source} also {@code target}; returns it under the new name. */
    public StoredImage tag(String source, String target) {
        StoredImage image = require(source);
        return store.put(ImageReference.parse(target), image.digest(), image.manifestDigest(), image.config().platform());
    }

    /**
     * Removes a name; by id, removes every name of that image. The blobs stay until
     * {@link #prune()}. False when nothing was named so.
     */
    public boolean remove(String ref) {
        if (IMAGE_ID.matcher(ref).matches()) {
            Optional<StoredImage> byId = store.findById(ref);
            if (byId.isPresent()) {
                boolean removed = false;
                for (StoredImage image : store.list()) {
                    if (image.configDigest().equals(byId.get().configDigest())) {
                        removed |= store.remove(image.reference());
                    }
                }
                return removed;
            }
        }
        return store.remove(ImageReference.parse(ref));
    }

    /**
     * The directories of {@code ref}'s layers for an overlayfs mount, bottom layer first (reverse
     * them for {@code lowerdir}); each layer is unpacked once and shared. Fails with
     * {@link ErrorCode#UNSUPPORTED} when this host cannot make overlay whiteouts: flatten the layers
     * into one rootfs instead ({@link dev.berth.image.unpack.LayerUnpacker#applyLayer}).
     */
    public List<Path> layerDirs(String ref) {
        return store.layerDirs(require(ref));
    }

    /**
     * Deletes blobs and unpacked layers no named image uses (and leftovers of downloads and unpacks);
     * waits for running pulls, imports and unpacks.
     */
    public PruneResult prune() {
        return store.prune();
    }

    /** Pushes the stored image {@code ref} to the registry and repository the reference names. */
    public PushResult push(String ref, Credentials credentials) {
        ImageReference target = ImageReference.parse(ref);
        StoredImage image = require(ref);
        return new ImagePusher(client(target, credentials), store).push(image, target);
    }

    public StoredImage importOciLayout(Path dir, String ref) {
        return new OciLayoutImporter(store).importDirectory(dir, ImageReference.parse(ref), Platform.host());
    }

    public StoredImage importOciArchive(Path tar, String ref) {
        return new OciLayoutImporter(store).importArchive(tar, ImageReference.parse(ref), Platform.host());
    }

    /** Imports a {@code docker save} archive; {@code ref} null names it by its first RepoTag. */
    public StoredImage importDockerArchive(Path tar, String ref) {
        return new DockerArchiveImporter(store).importArchive(tar, ref == null ? null : ImageReference.parse(ref));
    }

    /** A single-layer image from a directory or a (plain, gzip or zstd) tarball, with Dockerfile-style changes. */
    public StoredImage importRootfs(Path dirOrTarball, String ref, List<String> changes) {
        return new RootfsImporter(store).importRootfs(dirOrTarball, ImageReference.parse(ref), changes);
    }

    private StoredImage require(String ref) {
        return find(ref).orElseThrow(() -> new BerthException(ErrorCode.IMAGE_NOT_FOUND, "image " + ref
                + " is not in the local store"));
    }

    private RegistryClient client(ImageReference reference, Credentials explicit) {
        Credentials resolved = credentials.resolve(reference.registry(), explicit).orElse(null);
        return clients.computeIfAbsent(new ClientKey(reference.registryHost(), resolved),
                key -> RegistryClient.create(key.host(), key.credentials(), options));
    }

    /** Kept in memory only; Credentials' own toString hides the secret. */
    private record ClientKey(String host, Credentials credentials) {
    }

    @Override
    public void close() {
        if (sharedRoot != null) {
            OPEN_LOCK.lock();
            try {
                if (--references > 0) {
                    return;
                }
                OPEN.remove(sharedRoot);
            } finally {
                OPEN_LOCK.unlock();
            }
        }
        clients.values().forEach(RegistryClient::close);
        clients.clear();
        store.close();
    }
}
