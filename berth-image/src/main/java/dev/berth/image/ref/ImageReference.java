package dev.berth.image.ref;

import dev.berth.api.error.BerthException;
import dev.berth.api.spec.ImageRef;

/**
 * A fully normalised image reference, as Docker normalises them: {@code busybox} is
 * {@code docker.io/library/busybox:latest}, {@code index.docker.io} is {@code docker.io}, and the
 * tag defaults to {@code latest} unless a digest is given.
 *
 * @param registry   the registry name ({@code docker.io}, {@code 127.0.0.1:5000}); see
 *                   {@link #registryHost()} for the host API calls go to
 * @param repository the repository path ({@code library/busybox})
 * @param tag        the tag, or null when the reference is by digest only
 * @param digest     the manifest digest, or null
 */
public record ImageReference(String registry, String repository, String tag, Digest digest) {
    public static final String DOCKER_HUB = "docker.io";
    private static final String DOCKER_HUB_API_HOST = "registry-1.docker.io";

    public ImageReference {
        if (registry == null || repository == null || (tag == null && digest == null)) {
            throw new IllegalArgumentException("registry, repository and a tag or digest are required");
        }
    }

    /** Parses and normalises {@code value}; the grammar is berth-api's {@link ImageRef}. */
    public static ImageReference parse(String value) {
        ImageRef ref = ImageRef.parse("image", value);
        String registry = ref.registry() == null ? DOCKER_HUB : ref.registry();
        if (registry.equals("index.docker.io")) {
            registry = DOCKER_HUB;
        }
        String repository = ref.repository();
        if (registry.equals(DOCKER_HUB) && !repository.contains("/")) {
            repository = "library/" + repository;
        }
        Digest digest = null;
        if (ref.digest() != null) {
            try {
                digest = Digest.parse(ref.digest());
            } catch (BerthException e) {
                throw BerthException.invalidField("image", value, "the digest must be sha256:<64 lowercase hex digits>");
            }
        }
        String tag = ref.tag() == null && digest == null ? "latest" : ref.tag();
        return new ImageReference(registry, repository, tag, digest);
    }

    /** The host[:port] the registry API is served on ({@code registry-1.docker.io} for Docker Hub). */
    public String registryHost() {
        return registry.equals(DOCKER_HUB) ? DOCKER_HUB_API_HOST : registry;
    }

    /** {@code registry/repository}, without tag or digest. */
    public String name() {
        return registry + "/" + repository;
    }

    /** The tag or digest string API calls use for the manifest: the digest wins when both are given. */
    public String manifestReference() {
        return digest != null ? digest.toString() : tag;
    }

    public ImageReference withTag(String newTag) {
        return new ImageReference(registry, repository, newTag, null);
    }

    public ImageReference withDigest(Digest newDigest) {
        return new ImageReference(registry, repository, null, newDigest);
    }

    /** The short form Docker prints: {@code busybox:latest}, {@code 127.0.0.1:5000/app:1}. */
    public String familiar() {
        String name = name();
        if (registry.equals(DOCKER_HUB)) {
            name = repository.startsWith("library/") ? repository.substring("library/".length()) : repository;
        }
        return name + suffix();
    }

    private String suffix() {
        return (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }

    /** The canonical form: {@code docker.io/library/busybox:latest}. */
    @Override
    public String toString() {
        return name() + suffix();
    }
}
