package dev.berth.oci.images;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.Credentials;
import dev.berth.api.model.ImageDetails;
import dev.berth.api.model.ImageInfo;
import dev.berth.api.model.PullProgress;
import dev.berth.api.spec.ImageRef;
import dev.berth.api.spec.PullPolicy;
import dev.berth.api.spi.ImageOps;
import dev.berth.image.ImageService;
import dev.berth.image.store.Descriptor;
import dev.berth.image.store.StoredImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The OCI backend's images are Berth's own image store ({@code <dataDir>/images}): the same store
 * the engine's image commands use, so an image pulled or imported once serves every workload.
 */
public final class OciImages implements ImageOps {
    private final String backend;
    private final ImageService service;
    private final Path tmp;

    public OciImages(String backend, ImageService service, Path tmp) {
        this.backend = backend;
        this.service = service;
        this.tmp = tmp;
    }

    public ImageService service() {
        return service;
    }

    /** The JVM's own scratch directory beside the image store (spooled archives, flattened rootfs copies). */
    public Path scratchDir() {
        return tmp;
    }

    /** The stored image a workload runs; image_not_found naming it when absent. */
    public StoredImage require(String image) {
        return service.find(image).orElseThrow(() -> new BerthException(ErrorCode.IMAGE_NOT_FOUND,
                backend + ": image '" + image + "' is not in Berth's image store; pull or import it first", "image", null));
    }

    @Override
    public ImageInfo pull(ImageRef ref, PullPolicy policy, Credentials credentials, Consumer<PullProgress> progress) {
        Consumer<PullProgress> sink = progress == null ? p -> { } : progress;
        StoredImage stored = service.pull(ref.toString(), policy, credentials, null, event -> sink.accept(new PullProgress(
                event.image(), event.digest().toString(), event.state().name().toLowerCase(Locale.ROOT), event.bytes(), event.total())));
        return info(stored);
    }

    @Override
    public Optional<ImageInfo> find(ImageRef ref) {
        return service.find(ref.toString()).map(OciImages::info);
    }

    @Override
    public ImageDetails inspect(String ref) {
        StoredImage s = service.find(ref).orElseThrow(() -> new BerthException(ErrorCode.NOT_FOUND,
                backend + ": image '" + ref + "' not found in Berth's image store"));
        var c = s.config();
        List<String> tags = service.list().stream().filter(i -> i.id().equals(s.id())).map(i -> i.reference().toString()).toList();
        return new ImageDetails(backend, s.reference().toString(), s.id().toString(), s.manifestDigest().toString(), tags,
                s.size(), null, c.platform() == null ? null : c.platform().toString(),
                s.layers().stream().map(Descriptor::digest).map(Object::toString).toList(), c.env(),
                c.entrypoint().isEmpty() ? null : c.entrypoint(), c.cmd().isEmpty() ? null : c.cmd(), c.workingDir(), c.user(),
                c.exposedPorts().stream().sorted().toList(), c.labels());
    }

    @Override
    public List<ImageInfo> list() {
        var byId = new LinkedHashMap<String, List<StoredImage>>();
        for (StoredImage s : service.list()) {
            byId.computeIfAbsent(s.id().toString(), k -> new ArrayList<>()).add(s);
        }
        var out = new ArrayList<ImageInfo>();
        byId.forEach((id, images) -> out.add(new ImageInfo(id, images.stream().map(i -> i.reference().toString()).toList(),
                images.get(0).size(), null)));
        return out;
    }

    @Override
    public boolean remove(String ref, boolean force) {
        return service.remove(ref);
    }

    @Override
    public List<String> prune() {
        var result = service.prune();
        return result.blobsRemoved() == 0 && result.layerDirsRemoved() == 0 ? List.of()
                : List.of(result.blobsRemoved() + " blobs, " + result.layerDirsRemoved() + " unpacked layers");
    }

    @Override
    public void tag(String source, ImageRef target) {
        service.tag(source, target.toString());
    }

    @Override
    public ImageInfo importRootfs(InputStream tarball, ImageRef target, List<String> changes) {
        return spooled(tarball, file -> service.importRootfs(file, target.toString(), changes == null ? List.of() : changes));
    }

    @Override
    public void load(InputStream dockerArchive) {
        spooled(dockerArchive, file -> service.importDockerArchive(file, null));
    }

    private ImageInfo spooled(InputStream in, java.util.function.Function<Path, StoredImage> importer) {
        Path file = null;
        try {
            Files.createDirectories(tmp);
            file = Files.createTempFile(tmp, "import-", ".tar");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return info(importer.apply(file));
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, backend + ": cannot read the image archive: " + e.getMessage(), e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    System.getLogger(OciImages.class.getName()).log(System.Logger.Level.WARNING, "cannot delete " + file, e);
                }
            }
        }
    }

    private static ImageInfo info(StoredImage s) {
        return new ImageInfo(s.id().toString(), List.of(s.reference().toString()), s.size(), null);
    }
}
