package dev.berth.api.spi;

import dev.berth.api.model.Credentials;
import dev.berth.api.model.ImageInfo;
import dev.berth.api.model.PullProgress;
import dev.berth.api.spec.ImageRef;
import dev.berth.api.spec.PullPolicy;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Image operations of one backend. */
public interface ImageOps {
    /**
     * Makes {@code ref} present according to {@code policy}: NEVER fails with image_not_found when
     * absent, IF_NOT_PRESENT pulls only when absent, ALWAYS pulls. Credentials may be null.
     */
    ImageInfo pull(ImageRef ref, PullPolicy policy, Credentials credentials, Consumer<PullProgress> progress);

    Optional<ImageInfo> find(ImageRef ref);

    /** The image's details as the engine reports them; not_found when absent. */
    dev.berth.api.model.ImageDetails inspect(String ref);

    List<ImageInfo> list();

    /** Removes the image; false when it was already gone. */
    boolean remove(String ref, boolean force);

    /** Removes unused images; returns the ids removed. */
    List<String> prune();

    void tag(String source, ImageRef target);

    /**
     * Creates an image from a rootfs tarball. {@code changes} are Dockerfile-style instructions
     * (CMD, ENTRYPOINT, ENV, WORKDIR, USER) applied to the image config.
     */
    ImageInfo importRootfs(InputStream tarball, ImageRef target, List<String> changes);

    /**
     * Loads images from a docker-archive tar ({@code docker save} format: manifest.json, config,
     * uncompressed layers). This is how an image from Berth's own store reaches an engine.
     */
    void load(InputStream dockerArchive);
}
