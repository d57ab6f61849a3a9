package dev.berth.engine.images;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.Credentials;
import dev.berth.api.model.ImageDetails;
import dev.berth.api.model.ImageInfo;
import dev.berth.api.model.PullProgress;
import dev.berth.api.spec.ImageRef;
import dev.berth.api.spec.PullPolicy;
import dev.berth.api.spi.Backend;
import dev.berth.api.spi.CreateRequest;
import dev.berth.api.spi.Handle;
import dev.berth.engine.backends.BackendRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where image commands go: to Berth's own store when no backend is named, to that backend's
 * engine otherwise (so one flag never means two things). Also how a workload's create finds its
 * image: Docker's create-then-pull, with Berth's store consulted before any registry.
 */
public final class ImageRouter implements AutoCloseable {
    private final StoreImages store;
    private final BackendRegistry backends;

    public ImageRouter(StoreImages store, BackendRegistry backends) {
        this.store = store;
        this.backends = backends;
    }

    /**
     * Creates the backend resource, pulling the image per the pull policy. Like the docker CLI, an
     * image that may be pulled is looked for by trying the create, which saves a round trip. An
     * image the engine lacks but Berth's store has is loaded from the store instead of pulled.
     */
    public Handle createPulling(Backend backend, CreateRequest request) {
        String image = request.spec().image();
        PullPolicy policy = request.spec().pullPolicy();
        if (policy == PullPolicy.ALWAYS) {
            backend.images().pull(ImageRef.parse(image), PullPolicy.ALWAYS, null, p -> { });
        }
        try {
            return backend.create(request);
        } catch (BerthException e) {
            if (e.code() != ErrorCode.IMAGE_NOT_FOUND) {
                throw e;
            }
            var stored = store.find(image);
            if (stored.isPresent()) {
                store.loadInto(backend, stored.get(), image);
            } else {
                backend.images().pull(ImageRef.parse(image), policy, null, p -> { });
            }
            return backend.create(request);
        }
    }

    public ImageInfo pull(String backend, String image, String platform, PullPolicy policy, Credentials credentials,
                          Consumer<PullProgress> progress) {
        if (backend == null) {
            return store.pull(image, platform, policy, credentials, progress);
        }
        if (platform != null) {
            throw BerthException.unsupported("platform", backend, "engines pull for their own platform");
        }
        return backends.get(backend).images().pull(ImageRef.parse(image), policy == null ? PullPolicy.ALWAYS : policy,
                credentials, progress == null ? p -> { } : progress);
    }

    public String push(String image, Credentials credentials) {
        return store.push(image, credentials);
    }

    public ImageDetails inspect(String backend, String image) {
        return backend == null ? store.inspect(image) : backends.get(backend).images().inspect(image);
    }

    public void unpack(String image, Path dir) {
        store.unpack(image, dir);
    }

    public List<ImageInfo> list(String backend) {
        return backend == null ? store.list() : backends.get(backend).images().list();
    }

    public boolean remove(String backend, String image, boolean force) {
        return backend == null ? store.remove(image) : backends.get(backend).images().remove(image, force);
    }

    public List<String> prune(String backend) {
        return backend == null ? store.prune() : backends.get(backend).images().prune();
    }

    public void tag(String backend, String source, String target) {
        if (backend == null) {
            store.tag(source, target);
        } else {
            backends.get(backend).images().tag(source, ImageRef.parse("target", target));
        }
    }

    public ImageInfo importImage(String backend, InputStream rootfsTar, String target, List<String> changes) {
        if (backend == null) {
            return store.importFrom(rootfsTar, target, changes);
        }
        return backends.get(backend).images().importRootfs(rootfsTar, ImageRef.parse("target", target),
                changes == null ? List.of() : changes);
    }

    public ImageInfo importImage(String backend, Path source, String target, List<String> changes) {
        if (backend == null) {
            return store.importFrom(source, target, changes);
        }
        if (Files.isDirectory(source)) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT,
                    "importing a directory needs Berth's image store: leave out --backend, or pass a tarball");
        }
        try (InputStream in = Files.newInputStream(source)) {
            return importImage(backend, in, target, changes);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        store.close();
    }
}
