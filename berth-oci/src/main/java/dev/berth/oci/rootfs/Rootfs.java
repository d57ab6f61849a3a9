package dev.berth.oci.rootfs;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.image.ImageService;
import dev.berth.image.store.Descriptor;
import dev.berth.image.store.StoredImage;
import dev.berth.image.unpack.LayerUnpacker;
import dev.berth.image.unpack.SecureResolver;
import dev.berth.net.HostCommands;
import dev.berth.net.LocalHostCommands;
import dev.berth.oci.transport.CommandTransport;
import dev.berth.oci.transport.HostFiles;
import dev.berth.oci.transport.LocalTransport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A workload's root filesystem under its bundle: {@code rootfs/} is an overlayfs mount whose lower
 * directories are the image's layers, unpacked once in Berth's image store and shared, and whose
 * {@code upper/} and {@code work/} belong to the workload (so its writes survive a restart and
 * vanish on remove). Where overlay is unavailable (no overlay whiteouts on the store's file system,
 * a remote host, or the mount refused) the layers are applied into a private copy instead.
 *
 * <p>For a remote host the copy is made here first: the layers are applied in this JVM's scratch
 * directory by berth-image's unpacker (whiteouts honoured, every entry contained), and the result
 * travels as one tar stream that the target extracts into an empty directory.
 */
public final class Rootfs {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /**
     * Resolves $2 inside the directory $1 one component at a time, as if $1 were "/": ".." stops
     * at the top, an absolute symlink restarts from $1, at most 40 links; prints the host path.
     */
    static final String RESOLVE = "root=$1; rest=$2; cur=; hops=0; "
            + "while :; do case $rest in /*) rest=${rest#/}; continue;; esac; [ -n \"$rest\" ] || break; "
            + "case $rest in */*) comp=${rest%%/*}; rest=${rest#*/};; *) comp=$rest; rest=;; esac; "
            + "case $comp in .) ;; ..) cur=${cur%/*};; "
            + "*) if [ -L \"$root$cur/$comp\" ]; then hops=$((hops + 1)); "
            + "if [ \"$hops\" -gt 40 ]; then echo \"too many symbolic links\" >&2; exit 1; fi; "
            + "link=$(readlink -- \"$root$cur/$comp\"; echo x); link=${link%?x}; "
            + "case $link in /*) cur=;; esac; rest=$link/$rest; else cur=$cur/$comp; fi;; esac; done; "
            + "printf '%s' \"$root$cur\"";
    private static final System.Logger LOG = System.getLogger(Rootfs.class.getName());

    private final CommandTransport transport;
    private final HostFiles files;
    private final ImageService images;
    private final Path scratch;

    public Rootfs(CommandTransport transport, ImageService images, Path scratch) {
        this.transport = transport;
        this.files = new HostFiles(transport);
        this.images = images;
        this.scratch = scratch;
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
                List<Path> layers = images.store().layerDirs(image);
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
            mountOverlay(bundle, images.store().layerDirs(image));
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
        if (transport.isLocal()) {
            applyLayers(Path.of(rootfs), image);
            return;
        }
        // A layer's whiteouts delete what lower layers made, which a plain tar extraction on the
        // target cannot do; and tar on the target follows symlinks an earlier layer left there.
        Path flat = null;
        try {
            Files.createDirectories(scratch);
            flat = Files.createTempDirectory(scratch, "rootfs-");
            applyLayers(flat, image);
            sendTree(flat, rootfs);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot stage the rootfs of " + image.reference() + " in " + scratch + ": " + e, e);
        } finally {
            if (flat != null) {
                new HostFiles(new LocalTransport()).deleteTree(flat.toString());
            }
        }
    }

    private void applyLayers(Path dir, StoredImage image) {
        var unpacker = new LayerUnpacker();
        for (Descriptor layer : image.layers()) {
            try (InputStream in = images.store().blobs().open(layer.digest())) {
                unpacker.applyLayer(dir, in, layer.mediaType(), layer.digest().toString());
            } catch (IOException e) {
                throw new BerthException(ErrorCode.INTERNAL, "cannot read layer " + layer.digest() + ": " + e, e);
            }
        }
    }

    /** Streams the local tree {@code dir} (numeric owners) into {@code target} on the transport's host. */
    private void sendTree(Path dir, String target) {
        Process tar = new LocalHostCommands().start(List.of("tar", "--numeric-owner", "-C", dir.toString(), "-cf", "-", "."));
        try {
            tar.getOutputStream().close();
            var stderr = new CompletableFuture<String>();
            Thread.ofVirtual().start(() -> {
                try (InputStream err = tar.getErrorStream()) {
                    stderr.complete(new String(err.readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    stderr.complete(e.toString());
                }
            });
            try (InputStream out = tar.getInputStream()) {
                transport.extractTar(target, out);
            }
            if (!tar.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS) || tar.exitValue() != 0) {
                throw new BerthException(ErrorCode.INTERNAL, "tar of the staged rootfs " + dir + " failed: " + stderr.getNow("").strip());
            }
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot stream the staged rootfs " + dir + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException(ErrorCode.INTERNAL, "interrupted while copying the rootfs to " + transport.describe(), e);
        } finally {
            if (tar.isAlive()) {
                LocalHostCommands.killTree(tar);
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
     * image's symlink such as {@code /etc/passwd -> /host/secret} or {@code /var/run -> /run} stays
     * in the rootfs). On a remote host the same walk runs there, as {@link #RESOLVE}.
     */
    public String resolveInside(String rootfs, String path) {
        if (!transport.isLocal()) {
            HostCommands.Result r = transport.run(List.of("sh", "-c", RESOLVE, "berth-resolve", rootfs, "/" + path), null, TIMEOUT);
            if (!r.ok()) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "path " + path + " in the workload: " + r.stderr().strip());
            }
            return r.stdout();
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
