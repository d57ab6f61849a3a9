package dev.berth.image.unpack;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/** How a layer blob is compressed. */
public enum Compression {
    NONE("plain tar"),
    GZIP("gzip"),
    ZSTD("zstd");

    private static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
    private static final String OCI_NONDISTRIBUTABLE = "application/vnd.oci.image.layer.nondistributable.v1.tar";
    private static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar";
    private static final String DOCKER_FOREIGN = "application/vnd.docker.image.rootfs.foreign.diff.tar";

    private final String label;

    Compression(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /**
     * The compression a layer media type declares; empty when the type says nothing (null, blank,
     * {@code application/octet-stream}), so the content's magic bytes decide.
     *
     * @throws BerthException INVALID_ARGUMENT for a media type that is not a tar layer
     */
    public static Optional<Compression> forMediaType(String mediaType) {
        if (mediaType == null) {
            return Optional.empty();
        }
        String type = mediaType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (type.isEmpty() || type.equals("application/octet-stream")) {
            return Optional.empty();
        }
        for (String base : new String[] {OCI_LAYER, OCI_NONDISTRIBUTABLE, DOCKER_LAYER, DOCKER_FOREIGN}) {
            if (type.equals(base)) {
                return Optional.of(NONE);
            }
            if (type.equals(base + "+gzip") || type.equals(base + ".gzip")) {
                return Optional.of(GZIP);
            }
            if (type.equals(base + "+zstd") || type.equals(base + ".zstd")) {
                return Optional.of(ZSTD);
            }
        }
        throw new BerthException(ErrorCode.INVALID_ARGUMENT, "unsupported layer media type '" + mediaType
                + "'; allowed: OCI or Docker tar layers, plain, +gzip or +zstd");
    }

    /**
     * The compression the first bytes show (gzip {@code 1f 8b}, zstd {@code 28 b5 2f fd} or a
     * skippable zstd frame), {@link #NONE} otherwise. Leaves the stream where it was.
     */
    public static Compression sniff(BufferedInputStream in) throws IOException {
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return GZIP;
        }
        if (magic.length == 4 && (magic[1] & 0xff) == 0xb5 && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd
                && (magic[0] & 0xff) == 0x28) {
            return ZSTD;
        }
        if (magic.length == 4 && (magic[0] & 0xf0) == 0x50 && (magic[1] & 0xff) == 0x2a && (magic[2] & 0xff) == 0x4d
                && (magic[3] & 0xff) == 0x18) {
            return ZSTD; // skippable frame (zstd:chunked, seekable zstd) before the first data frame
        }
        return NONE;
    }

    /**
     * The media type decides; the magic bytes decide when the type says nothing, and win when they
     * clearly show the other codec (registries do serve gzip under a plain Docker type). A type
     * declaring compression over content without any known magic is corrupt.
     *
     * @throws BerthException INVALID_ARGUMENT for an unsupported media type or contradicting content
     */
    public static Compression detect(String mediaType, BufferedInputStream in) throws IOException {
        Compression sniffed = sniff(in);
        Optional<Compression> declared = forMediaType(mediaType);
        if (declared.isEmpty() || sniffed != NONE) {
            return sniffed;
        }
        if (declared.get() != NONE) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "media type '" + mediaType + "' declares "
                    + declared.get().label + " but the content does not start with its magic bytes");
        }
        return NONE;
    }

    /** The OCI layer media type for this compression (what an importer records for a layer it stores). */
    public String ociLayerMediaType() {
        return switch (this) {
            case NONE -> "application/vnd.oci.image.layer.v1.tar";
            case GZIP -> "application/vnd.oci.image.layer.v1.tar+gzip";
            case ZSTD -> "application/vnd.oci.image.layer.v1.tar+zstd";
        };
    }

    /** {@code in} decompressed by whatever its magic bytes show (for sources without a media type). */
    public static InputStream decompressed(InputStream in) throws IOException {
        var buffered = in instanceof BufferedInputStream b ? b : new BufferedInputStream(in, 64 * 1024);
        return sniff(buffered).decompress(buffered);
    }

    /** Wraps {@code in} in this codec's decompressor; closing the result closes {@code in}. */
    public InputStream decompress(InputStream in) throws IOException {
        return switch (this) {
            case NONE -> in;
            case GZIP -> new GzipCompressorInputStream(in, true);
            case ZSTD -> new ZstdInputStreamNoFinalizer(in);
        };
    }
}
