package dev.berth.image.unpack;

import java.util.List;

/**
 * What unpacking one layer did: tar entries processed, bytes of file content written, the codec
 * found, and notes on what could not be reproduced on this host (skipped devices, xattrs, owners).
 */
public record UnpackResult(long entries, long bytes, Compression compression, List<String> notes) {
    public UnpackResult {
        notes = List.copyOf(notes);
    }
}
