package dev.berth.oci.rootfs;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.image.ImageService;
import dev.berth.image.store.Descriptor;
import dev.berth.image.store.StoredImage;
import dev.berth.image.unpack.Compression;
import dev.berth.image.unpack.LayerUnpacker;
import dev.berth.image.unpack.SecureResolver;
import dev.berth.net.HostCommands;
import dev.berth.oci.transport.CommandTransport;
import dev.berth.oci.transport.HostFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A workload's root filesystem under its bundle: {@code rootfs/} is an overlayfs mount whose lower
 * directories are the image's layers, unpacked once in Berth's image store and shared, and whose
 * {@code upper/} and {@code work/} belong to the workload (so its writes survive a restart and
 * vanish on remove). Where overlay is unavailable (no overlay whiteouts on the store's file system,
 * a remote host, or the mount refused) the layers are applied into a private copy instead.
 */
public final class Rootfs {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final System.Logger LOG = System.getLogger(Rootfs.class.getName());

    private final CommandTransport transport;
    private final HostFiles files;
    private final ImageService images;

    public Rootfs(CommandTransport transport, ImageService images) {
        this.transport = transport;
        this.files = new HostFiles(transport);
        this.images = images;
    }

    public static String rootfsDir(String bundle) {
        return bundle + "/rootfs";
    }

    /** Makes {@code bundle/rootfs} hold {@code image}'s file system; returns how. */
    public RootfsKind prepare(String bundle, StoredImage image) {
        String rootfs = rootfsDir(bundle);
        files.mkdirs(rootfs);
        if (transport.isLocal()) {
            try {
                List<Path> layers = images.layerDirs(image.reference().toString());
                files.mkdirs(bundle + "/upper");
                files.mkdirs(bundle + "/work");
                mountOverlay(bundle, layers);
                return RootfsKind.OVERLAY;
            } catch (BerthException e) {
                LOG.log(System.Logger.Level.WARNING, "overlay rootfs unavailable for " + bundle + " (" + e.getMessage()
                        + "); copying the layers instead");
                files.deleteTree(bundle + "/upper");
                files.deleteTree(bundle + "/work");
            }
        }
        copyLayers(rootfs, image);
        return RootfsKind.COPY;
    }

    /** Mounts the overlay again if it is not mounted (after a host reboot); a copy needs nothing. */
    public void ensureMounted(String bundle, StoredImage image, RootfsKind kind) {
        if (kind == RootfsKind.OVERLAY && !isMounted(rootfsDir(bundle))) {
            mountOverlay(bundle, images.layerDirs(image.reference().toString()));
        }
    }

    private void mountOverlay(String bundle, List<Path> layersBottomFirst) {
        var lower = new ArrayList<String>();
        layersBottomFirst.forEach(p -> lower.add(p.toString()));
        Collections.reverse(lower);
        String options = "lowerdir=" + String.join(":", lower) + ",upperdir=" + bundle + "/upper,workdir=" + bundle + "/work";
        HostCommands.Result r = transport.run(List.of("mount", "-t", "overlay", "overlay", "-o", options, rootfsDir(bundle)),
                null, TIMEOUT);
        if (!r.ok()) {
            throw new BerthException(ErrorCode.BACKEND_ERROR, "mount overlay at " + rootfsDir(bundle) + ": " + r.stderr().strip());
        }
    }

    private void copyLayers(String rootfs, StoredImage image) {
        var unpacker = transport.isLocal() ? new LayerUnpacker() : null;
        for (Descriptor layer : image.layers()) {
            try (InputStream in = images.store().blobs().open(layer.digest())) {
                if (unpacker != null) {
                    unpacker.applyLayer(Path.of(rootfs), in, layer.mediaType(), layer.digest().toString());
                } else {
                    transport.extractTar(rootfs, Compression.decompressed(in));
                }
            } catch (IOException e) {
                throw new BerthException(ErrorCode.INTERNAL, "cannot read layer " + layer.digest() + ": " + e, e);
            }
        }
    }

    /** Unmounts (if mounted) and deletes the bundle's file system parts; idempotent. */
    public void remove(String bundle) {
        String rootfs = rootfsDir(bundle);
        if (isMounted(rootfs)) {
            HostCommands.Result r = transport.run(List.of("umount", rootfs), null, TIMEOUT);
            if (!r.ok() && isMounted(rootfs)) {
                // A lazy unmount detaches it now; the kernel frees it when the last user goes.
                HostCommands.Result lazy = transport.run(List.of("umount", "-l", rootfs), null, TIMEOUT);
                if (!lazy.ok()) {
                    throw new BerthException(ErrorCode.BACKEND_ERROR, "umount " + rootfs + ": " + r.stderr().strip());
                }
            }
        }
    }

    /**
     * The host path of {@code path} inside {@code rootfs}, every component resolved inside it (an
     * image's symlink such as {@code /etc/passwd -> /host/secret} stays in the rootfs). Remote hosts
     * get the lexical path; their transport's extraction is responsible for containment there.
     */
    public String resolveInside(String rootfs, String path) {
        if (!transport.isLocal()) {
            return rootfs + Path.of("/").resolve(path).normalize();
        }
        try {
            return new SecureResolver(Path.of(rootfs)).resolve(path).toString();
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "path " + path + " in the workload: " + e.getMessage(), e);
        }
    }

    public boolean isMounted(String path) {
        String mountinfo = new String(transport.readFile("/proc/self/mountinfo"), StandardCharsets.UTF_8);
        String escaped = path.replace("\\", "\\134").replace(" ", "\\040").replace("\t", "\\011").replace("\n", "\\012");
        return mountinfo.lines().anyMatch(line -> {
            String[] fields = line.split(" ");
            return fields.length > 4 && fields[4].equals(escaped);
        });
    }
}
