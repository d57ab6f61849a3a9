package dev.berth.image.unpack;

import dev.berth.api.error.ErrorCode;

/**
 * A tar entry the unpacker refuses, failing the whole layer. The unpacker adds the layer digest
 * and the entry name to {@link #getMessage()}, which says only what is wrong.
 */
final class RejectedEntry extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String entry;

    RejectedEntry(String reason) {
        this(ErrorCode.INVALID_ARGUMENT, reason);
    }

    RejectedEntry(ErrorCode code, String reason) {
        this(code, reason, null);
    }

    private RejectedEntry(ErrorCode code, String reason, String entry) {
        super(reason, null, false, false);
        this.code = code;
        this.entry = entry;
    }

    /** The same refusal attributed to {@code entry}, for work deferred past the entry's turn. */
    RejectedEntry forEntry(String entry) {
        return new RejectedEntry(code, getMessage(), entry);
    }

    ErrorCode code() {
        return code;
    }

    /** The entry refused when it is not the one being read; {@code null} otherwise. */
    String entry() {
        return entry;
    }
}
