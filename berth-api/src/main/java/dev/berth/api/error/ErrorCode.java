package dev.berth.api.error;

/**
 * Stable error codes. The REST API maps them to HTTP statuses and the CLI to exit code 125;
 * the string form ({@link #code()}) is part of the public contract and never changes.
 */
public enum ErrorCode {
    INVALID_SPEC("invalid_spec", 400),
    INVALID_ARGUMENT("invalid_argument", 400),
    PAYLOAD_TOO_LARGE("payload_too_large", 413),
    UNAUTHORIZED("unauthorized", 401),
    UNSUPPORTED("unsupported", 422),
    NOT_FOUND("not_found", 404),
    IMAGE_NOT_FOUND("image_not_found", 404),
    NAME_IN_USE("name_in_use", 409),
    CONFLICT("conflict", 409),
    BACKEND_UNAVAILABLE("backend_unavailable", 503),
    BACKEND_ERROR("backend_error", 502),
    TIMEOUT("timeout", 504),
    INTERNAL("internal", 500);

    private final String code;
    private final int httpStatus;

    ErrorCode(String code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
