package dev.berth.image.registry;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.image.ref.Digest;
import dev.berth.image.ref.ImageReference;
import dev.berth.image.ref.Platform;
import dev.berth.image.store.Descriptor;
import dev.berth.image.store.ImageStore;
import dev.berth.image.store.IndexEntry;
import dev.berth.image.store.Manifest;
import dev.berth.image.store.StoredImage;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * Pulls an image into the store: resolve the reference to a manifest (choosing the platform
 * from an index), then fetch the config and the missing layers concurrently, each download on
 * its own virtual thread and at most as many at once as the shared {@link Semaphore} allows.
 * Blobs already stored are reported {@link LayerState#CACHED} and not requested. The name is
 * recorded only once every blob is in.
 */
public final class ImagePuller {
    private static final System.Logger LOG = System.getLogger(ImagePuller.class.getName());

    private final RegistryClient client;
    private final ImageStore store;
    private final Semaphore downloads;
    private final int maxAttempts;

    public ImagePuller(RegistryClient client, ImageStore store, Semaphore downloads, int maxAttempts) {
        this.client = client;
        this.store = store;
        this.downloads = downloads;
        this.maxAttempts = maxAttempts;
    }

    /**
     * The stored image for {@code ref} when the registry still serves the digest it was pulled
     * with: one manifest HEAD, no blob request. Empty when it changed or cannot be told.
     */
    public Optional<StoredImage> unchanged(ImageReference ref, Platform platform) {
        Optional<IndexEntry> entry = store.entry(ref);
        if (entry.isEmpty() || !platformMatches(entry.get(), platform)) {
            return Optional.empty();
        }
        Optional<Digest> remote = new ManifestPuller(client).head(ref.repository(), ref.manifestReference());
        if (remote.isEmpty() || !remote.get().equals(entry.get().digest())) {
            return Optional.empty();
        }
        return store.find(ref);
    }

    /** Whether a stored name was pulled for (a platform compatible with) {@code platform}. */
    public static boolean platformMatches(IndexEntry entry, Platform platform) {
        return entry.platform() == null || platform.accepts(Platform.parse(entry.platform()));
    }

    @SuppressWarnings("try") // the lock is held for the block
    public StoredImage pull(ImageReference ref, Platform platform, PullListener listener) {
        try (var lease = store.lease()) {
            var manifests = new ManifestPuller(client);
            ManifestPuller.Fetched top = manifests.pull(ref.repository(), ref.manifestReference(), ref.digest());
            store.blobs().write(top.body());
            Digest manifestDigest = top.digest();
            Manifest manifest = top.manifest();
            Platform chosen = null;
            if (manifest instanceof Manifest.Index index) {
                Descriptor selected = PlatformSelector.select(index, platform, ref.toString());
                chosen = selected.platform();
                manifestDigest = selected.digest();
                manifest = childManifest(manifests, ref, selected);
            }
            if (!(manifest instanceof Manifest.Image image)) {
                throw new BerthException(ErrorCode.UNSUPPORTED, "image " + ref + ": an index inside an index is not supported");
            }
            fetchBlobs(ref, image, listener);
            if (chosen == null) {
                chosen = store.readConfigPlatform(image.config().digest());
                if (chosen != null && !platform.accepts(chosen)) {
                    Platform actual = chosen;
                    LOG.log(System.Logger.Level.WARNING, () -> "image " + ref + " is built for " + actual
                            + ", not for the requested platform " + platform);
                }
            }
            return store.put(ref, top.digest(), manifestDigest, chosen);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "pulling " + ref + ": cannot write to the image store: " + e, e);
        } catch (BerthException e) {
            throw e;
        } catch (Exception e) {
            throw new BerthException(ErrorCode.INTERNAL, "pulling " + ref + " failed: " + e, e);
        }
    }

    private Manifest childManifest(ManifestPuller manifests, ImageReference ref, Descriptor selected) throws IOException {
        if (store.blobs().contains(selected)) {
            return store.readManifest(selected.digest());
        }
        ManifestPuller.Fetched child = manifests.pull(ref.repository(), selected.digest().toString(), selected.digest());
        store.blobs().write(child.body());
        return child.manifest();
    }

    private void fetchBlobs(ImageReference ref, Manifest.Image image, PullListener listener) throws InterruptedException {
        var blobs = new LinkedHashMap<Digest, Descriptor>();
        blobs.put(image.config().digest(), image.config());
        image.layers().forEach(layer -> blobs.putIfAbsent(layer.digest(), layer));
        var puller = new BlobPuller(client, maxAttempts);
        String name = ref.toString();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            var completion = new ExecutorCompletionService<Boolean>(executor);
            int submitted = 0;
            for (Descriptor blob : blobs.values()) {
                boolean layer = !blob.digest().equals(image.config().digest());
                BlobPuller.Progress progress = layer
                        ? (state, bytes) -> notify(listener, new PullEvent(name, blob.digest(), state, bytes, blob.size()))
                        : (state, bytes) -> { };
                if (store.blobs().contains(blob)) {
                    progress.report(LayerState.CACHED, blob.size());
                    continue;
                }
                progress.report(LayerState.WAITING, 0);
                completion.submit(() -> {
                    downloads.acquire();
                    try {
                        return puller.pull(ref.repository(), blob, store.blobs(), progress);
                    } finally {
                        downloads.release();
                    }
                });
                submitted++;
            }
            for (int i = 0; i < submitted; i++) {
                try {
                    completion.take().get();
                } catch (ExecutionException e) {
                    executor.shutdownNow();
                    if (e.getCause() instanceof BerthException b) {
                        throw b;
                    }
                    throw new BerthException(ErrorCode.INTERNAL, "pulling " + ref + " failed: " + e.getCause(), e.getCause());
                }
            }
        }
    }

    private static void notify(PullListener listener, PullEvent event) {
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a pull listener failed on " + event.state() + " of " + event.digest(), e);
        }
    }
}
