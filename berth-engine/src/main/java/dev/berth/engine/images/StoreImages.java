package dev.berth.engine.images;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.Credentials;
import dev.berth.api.model.ImageDetails;
import dev.berth.api.model.ImageInfo;
import dev.berth.api.model.PullProgress;
import dev.berth.api.spec.PullPolicy;
import dev.berth.api.spi.Backend;
import dev.berth.image.ImageService;
import dev.berth.image.exports.DockerArchiveWriter;
import dev.berth.image.ref.Platform;
import dev.berth.image.registry.PullListener;
import dev.berth.image.store.Descriptor;
import dev.berth.image.store.StoredImage;
import dev.berth.image.unpack.LayerUnpacker;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Berth's own image store as the engine uses it: the target of image commands without a
 * backend, and the source a docker/podman workload's image is loaded from when only Berth has it.
 * Opened on first use, so commands that never touch images never read the store.
 */
public final class StoreImages implements AutoCloseable {
    public static final String STORE_NAME = "berth";

    private final Path root;
    private final Path tmp;
    private volatile ImageService service;

    public StoreImages(Path root, Path tmp) {
        this.root = root;
        this.tmp = tmp;
    }

    public ImageService service() {
        ImageService s = service;
        if (s == null) {
            synchronized (this) {
                if (service == null) {
                    service = ImageService.open(root);
                }
                s = service;
            }
        }
        return s;
    }

    public ImageInfo pull(String image, String platform, PullPolicy policy, Credentials credentials, Consumer<PullProgress> progress) {
        StoredImage stored = service().pull(image, policy == null ? PullPolicy.ALWAYS : policy, credentials,
                platform == null ? null : Platform.parse(platform),
                PullListener.forwardingTo(progress == null ? p -> { } : progress));
        return info(stored);
    }

    public Optional<StoredImage> find(String image) {
        return service().find(image);
    }

    /** One entry per image id, with every name that points at it. */
    public List<ImageInfo> list() {
        var byId = new LinkedHashMap<String, List<StoredImage>>();
        for (StoredImage s : service().list()) {
            byId.computeIfAbsent(s.id().toString(), k -> new ArrayList<>()).add(s);
        }
        var out = new ArrayList<ImageInfo>();
        byId.forEach((id, images) -> out.add(new ImageInfo(id, images.stream().map(i -> i.reference().toString()).toList(),
                images.get(0).size(), null)));
        return out;
    }

    public boolean remove(String image) {
        return service().remove(image);
    }

    public List<String> prune() {
        var result = service().prune();
        return result.blobsRemoved() == 0 && result.layerDirsRemoved() == 0 ? List.of()
                : List.of(result.blobsRemoved() + " blobs, " + result.layerDirsRemoved() + " unpacked layers, "
                        + result.bytesFreed() + " bytes freed");
    }

    public void tag(String source, String target) {
        service().tag(source, target);
    }

    public String push(String image, Credentials credentials) {
        return service().push(image, credentials).manifestDigest().toString();
    }

    public ImageDetails inspect(String image) {
        StoredImage s = find(image).orElseThrow(() -> new BerthException(ErrorCode.IMAGE_NOT_FOUND,
                "image '" + image + "' is not in Berth's image store", "image", null));
        var c = s.config();
        List<String> tags = service().list().stream().filter(i -> i.id().equals(s.id())).map(i -> i.reference().toString()).toList();
        return new ImageDetails(STORE_NAME, s.reference().toString(), s.id().toString(), s.manifestDigest().toString(), tags,
                s.size(), null, c.platform() == null ? null : c.platform().toString(),
                s.layers().stream().map(Descriptor::digest).map(Object::toString).toList(), c.env(),
                c.entrypoint().isEmpty() ? null : c.entrypoint(), c.cmd().isEmpty() ? null : c.cmd(), c.workingDir(), c.user(),
                c.exposedPorts().stream().sorted().toList(), c.labels());
    }

    /** Imports an OCI layout dir, OCI archive, docker-archive, rootfs dir or rootfs tarball, judged by content. */
    public ImageInfo importFrom(Path source, String target, List<String> changes) {
        try {
            StoredImage stored = switch (ArchiveKind.of(source)) {
                case OCI_LAYOUT_DIR -> service().importOciLayout(source, target);
                case OCI_ARCHIVE -> service().importOciArchive(source, target);
                case DOCKER_ARCHIVE -> service().importDockerArchive(source, target);
                case ROOTFS_DIR, ROOTFS_TARBALL -> service().importRootfs(source, target, changes == null ? List.of() : changes);
            };
            return info(stored);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    /** Spools a stream (e.g. stdin) to a temp file, then imports it. */
    public ImageInfo importFrom(InputStream source, String target, List<String> changes) {
        Path file = null;
        try {
            Files.createDirectories(tmp);
            file = Files.createTempFile(tmp, "import-", ".tar");
            Files.copy(source, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return importFrom(file, target, changes);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "cannot read the image archive: " + e.getMessage(), e);
        } finally {
            deleteQuietly(file);
        }
    }

    /**
     * Loads {@code image} from Berth's store into the backend's engine as a docker-archive,
     * streamed through a pipe (written on a virtual thread while the engine reads it).
     */
    public void loadInto(Backend backend, StoredImage image, String repoTag) {
        try (var in = new PipedInputStream(256 * 1024)) {
            var out = new PipedOutputStream(in);
            var writer = Thread.ofVirtual().start(() -> {
                try (out) {
                    new DockerArchiveWriter(service().store()).write(image, repoTag, out);
                } catch (IOException e) {
                    // The reading side sees a truncated archive and the engine reports it.
                    System.getLogger(StoreImages.class.getName()).log(System.Logger.Level.WARNING,
                            "writing the archive of " + repoTag + " failed", e);
                }
            });
            backend.images().load(in);
            writer.join();
        } catch (IOException e) {
            throw new BerthException(ErrorCode.BACKEND_ERROR, "cannot load " + repoTag + " into " + backend.name() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException(ErrorCode.INTERNAL, "interrupted while loading " + repoTag, e);
        }
    }

    /** Writes the image's flattened rootfs into {@code dir} (layers applied in order, whiteouts honoured). */
    public void unpack(String image, Path dir) {
        StoredImage stored = find(image).orElseThrow(() -> new BerthException(ErrorCode.IMAGE_NOT_FOUND,
                "image '" + image + "' is not in Berth's image store; pull or import it first", "image", null));
        Path target = dir.toAbsolutePath().normalize();
        try {
            if (Files.exists(target) && (!Files.isDirectory(target) || hasEntries(target))) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, target + " exists and is not an empty directory");
            }
            Files.createDirectories(target.getParent());
            // Layers go into a sibling first, renamed into place only when every layer applied:
            // a failed unpack never leaves a half-populated directory under the requested name.
            Path work = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".unpack-");
            try {
                // A rootfs root is 0755 unless a layer's "./" entry says otherwise (temp dirs are 0700).
                Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
                var unpacker = new LayerUnpacker();
                for (Descriptor layer : stored.layers()) {
                    try (InputStream in = service().store().blobs().open(layer.digest())) {
                        unpacker.applyLayer(work, in, layer.mediaType(), layer.digest().toString());
                    }
                }
                Files.deleteIfExists(target);
                Files.move(work, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException e) {
                deleteTree(work);
                throw e;
            }
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot unpack " + image + " into " + target + ": " + e.getMessage(), e);
        }
    }

    private static boolean hasEntries(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isPresent();
        }
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.getLogger(StoreImages.class.getName()).log(System.Logger.Level.WARNING, "could not clean up " + dir, e);
        }
    }

    private static ImageInfo info(StoredImage s) {
        return new ImageInfo(s.id().toString(), List.of(s.reference().toString()), s.size(), null);
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // A leftover temp file under the data dir's tmp is harmless.
            }
        }
    }

    @Override
    public void close() {
        ImageService s = service;
        if (s != null) {
            s.close();
        }
    }
}
