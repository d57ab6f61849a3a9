package dev.berth.image.imports;

import com.github.luben.zstd.ZstdInputStream;
import dev.berth.image.store.MediaTypes;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Layer compression as told by magic bytes (imports have no media type to go by). */
public enum Compression {
    NONE(MediaTypes.OCI_LAYER),
    GZIP(MediaTypes.OCI_LAYER_GZIP),
    ZSTD(MediaTypes.OCI_LAYER_ZSTD);

    private final String layerMediaType;

    Compression(String layerMediaType) {
        this.layerMediaType = layerMediaType;
    }

    String layerMediaType() {
        return layerMediaType;
    }

    /** Peeks at the first bytes of {@code in}, which must support mark/reset. */
    static Compression detect(InputStream in) throws IOException {
        in.mark(4);
        byte[] head = in.readNBytes(4);
        in.reset();
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return GZIP;
        }
        if (head.length == 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f
                && (head[3] & 0xff) == 0xfd) {
            return ZSTD;
        }
        return NONE;
    }

    /** {@code in} decompressed, whatever its compression. */
    public static InputStream decompressed(InputStream in) throws IOException {
        var buffered = in.markSupported() ? in : new BufferedInputStream(in, 64 * 1024);
        return switch (detect(buffered)) {
            case GZIP -> new GZIPInputStream(buffered, 64 * 1024);
            case ZSTD -> new ZstdInputStream(buffered);
            case NONE -> buffered;
        };
    }
}
