package dev.berth.image.unpack;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Unpacks OCI/Docker image layers (tar; plain, gzip or zstd), streamed, with whiteouts, and with no
 * way for a layer to write, link or delete outside the target: see {@link SecureResolver}.
 *
 * <p>Errors are {@link BerthException}s with a one-line message naming the layer and the entry:
 * {@code INVALID_ARGUMENT} for a corrupt or truncated blob or a refused entry (an escape attempt
 * fails the whole layer), {@code UNSUPPORTED} when overlay whiteouts cannot be made on this host,
 * {@code CONFLICT} when {@link #unpackLayer}'s directory exists, {@code INTERNAL} when the host
 * fails (disk full, permissions). The caller owns and closes the layer stream; it is read to its end.
 */
public final class LayerUnpacker {
    private static final int READ_BUFFER = 256 * 1024;
    private static final int READ_AHEAD_CHUNKS = 8;

    private final HostTools host;

    public LayerUnpacker() {
        this(HostTools.detect());
    }

    LayerUnpacker(HostTools host) {
        this.host = host;
    }

    /**
     * Applies one layer on top of {@code rootfs}, where the layers below it were applied in order:
     * its whiteouts delete lower content, its entries replace what is there. A failure leaves the
     * rootfs part-written: flatten into a staging directory and publish it only when every layer
     * succeeded.
     */
    public UnpackResult applyLayer(Path rootfs, InputStream layer, String mediaType, String digest) {
        Path root;
        try {
            root = rootfs.toRealPath();
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "rootfs " + rootfs + " does not exist: " + reason(e));
        }
        if (!Files.isDirectory(root)) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "rootfs " + rootfs + " is not a directory");
        }
        return unpack(root, layer, mediaType, digest, WhiteoutMode.APPLY);
    }

    /**
     * Unpacks one layer on its own into {@code dir} (which must not exist), e.g. as an overlayfs
     * lower directory. It is written into a hidden sibling and renamed to {@code dir} only on
     * success, so {@code dir} either is complete or does not exist.
     */
    public UnpackResult unpackLayer(Path dir, InputStream layer, String mediaType, String digest, WhiteoutMode mode) {
        Path target = dir.toAbsolutePath().normalize();
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new BerthException(ErrorCode.CONFLICT, "layer " + digest + ": target " + target + " already exists");
        }
        Path staging;
        try {
            Files.createDirectories(target.getParent());
            staging = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".partial-");
            Files.setAttribute(staging, "unix:mode", 0755);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "layer " + digest + ": cannot create a staging directory next to "
                    + target + ": " + reason(e), e);
        }
        try {
            UnpackResult result = unpack(staging.toRealPath(), layer, mediaType, digest, mode);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            return result;
        } catch (IOException e) {
            discard(staging, null);
            throw new BerthException(ErrorCode.INTERNAL, "layer " + digest + ": cannot move the unpacked layer to "
                    + target + ": " + reason(e), e);
        } catch (RuntimeException e) {
            discard(staging, e);
            throw e;
        }
    }

    private UnpackResult unpack(Path root, InputStream layer, String mediaType, String digest, WhiteoutMode mode) {
        var notes = new Notes();
        var buffered = new BufferedInputStream(new KeepOpen(layer), READ_BUFFER);
        Compression compression = detect(mediaType, buffered, digest, notes);
        String entryName = null;
        long entries = 0;
        try (var decompressed = open(compression, buffered);
             var tar = new LayerTarInput(decompressed)) {
            var writer = new LayerWriter(new SecureResolver(root), mode, host, notes, new byte[READ_BUFFER]);
            for (TarArchiveEntry e = tar.next(); e != null; e = tar.next()) {
                entryName = tar.raw().path() != null ? tar.raw().path() : e.getName();
                writer.write(e, tar.raw(), tar);
                entries++;
            }
            entryName = null;
            if (!tar.endRecordSeen()) {
                throw new CorruptStream("the tar ended without its end-of-archive record (truncated)", null);
            }
            drain(decompressed); // reaches the gzip/zstd trailer, so its checksum is verified
            writer.finish();
            return new UnpackResult(entries, writer.bytes(), compression, notes.render());
        } catch (CorruptStream e) {
            throw failure(ErrorCode.INVALID_ARGUMENT, digest, "corrupt " + compression.label() + " layer"
                    + (entryName == null ? "" : " at entry '" + printable(entryName) + "'") + ": " + e.getMessage(), e);
        } catch (RejectedEntry e) {
            throw failure(e.code(), digest, entry(e.entry() != null ? e.entry() : entryName) + "refused: " + e.getMessage(), e);
        } catch (NotDirectoryException | FileSystemLoopException | IllegalArgumentException e) {
            throw failure(ErrorCode.INVALID_ARGUMENT, digest, entry(entryName) + "refused: "
                    + (e instanceof IllegalArgumentException ? "name not usable on this host" : reason((IOException) e)), e);
        } catch (IOException e) {
            throw failure(ErrorCode.INTERNAL, digest, "cannot write " + (entryName == null ? "the layer" : entry(entryName).strip())
                    + ": " + reason(e), e);
        }
    }

    private static Compression detect(String mediaType, BufferedInputStream in, String digest, Notes notes) {
        Compression found;
        try {
            in.mark(1);
            boolean empty = in.read() < 0;
            in.reset();
            found = empty ? null : Compression.detect(mediaType, in);
        } catch (IOException e) {
            throw failure(ErrorCode.INVALID_ARGUMENT, digest, "cannot read the layer: " + reason(e), e);
        } catch (BerthException e) {
            throw failure(e.code(), digest, e.getMessage(), e);
        }
        if (found == null) {
            throw failure(ErrorCode.INVALID_ARGUMENT, digest, "the layer is empty (0 bytes)", null);
        }
        if (Compression.forMediaType(mediaType).orElse(found) != found) {
            notes.add("media type contradicted by the content", mediaType + " holds " + found.label());
        }
        return found;
    }

    private static InputStream open(Compression compression, InputStream in) throws CorruptStream {
        try {
            return new ReadAheadInputStream(compression.decompress(in), READ_BUFFER, READ_AHEAD_CHUNKS);
        } catch (IOException e) {
            throw CorruptStream.of(e);
        }
    }

    private static void drain(InputStream in) throws CorruptStream {
        try {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw CorruptStream.of(e);
        }
    }

    private static void discard(Path staging, RuntimeException failure) {
        try {
            FileTrees.delete(staging);
        } catch (IOException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            }
        }
    }

    private static BerthException failure(ErrorCode code, String digest, String what, Throwable cause) {
        return new BerthException(code, "layer " + digest + ": " + what, cause);
    }

    private static String reason(IOException e) {
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason() + " (" + fs.getFile() + ")";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** {@code "entry 'NAME' "}, or nothing once the entries are all read (directory times, overlay whiteouts). */
    private static String entry(String name) {
        return name == null ? "" : "entry '" + printable(name) + "' ";
    }

    /** Entry names come from the layer: no control characters into a one-line message, no megabyte names. */
    private static String printable(String name) {
        String clean = name.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return clean.length() > 200 ? clean.substring(0, 200) + "..." : clean;
    }

    /** The caller owns the layer stream; closing the decompressor chain must not close it. */
    private static final class KeepOpen extends FilterInputStream {
        KeepOpen(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }
}
