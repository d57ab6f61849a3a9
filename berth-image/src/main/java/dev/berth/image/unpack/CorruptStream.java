package dev.berth.image.unpack;

import java.io.IOException;

/** A read from the layer stream failed: the blob is truncated or corrupt, not the host at fault. */
final class CorruptStream extends IOException {
    private static final long serialVersionUID = 1L;

    CorruptStream(String reason, Throwable cause) {
        super(reason, cause);
    }

    static CorruptStream of(IOException e) {
        if (e instanceof CorruptStream c) {
            return c;
        }
        String message = e.getMessage();
        String reason = e instanceof java.io.EOFException && (message == null || message.isBlank())
                ? "unexpected end of data (truncated)" : message == null ? e.getClass().getSimpleName() : message;
        return new CorruptStream(reason, e);
    }
}
