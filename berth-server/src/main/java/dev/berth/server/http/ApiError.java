package dev.berth.server.http;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;

/** The error body every failed request gets: {@code {"code": ..., "message": ..., "field": ...}}. */
public record ApiError(String code, String message, String field) {
    public static ApiError of(BerthException e) {
        return new ApiError(e.code().code(), e.getMessage(), e.field());
    }

    /** Back to the exception the in-process engine would have thrown; unknown codes become internal. */
    public BerthException toException() {
        return new BerthException(codeOf(code), message, field, null);
    }

    public static ErrorCode codeOf(String code) {
        for (ErrorCode c : ErrorCode.values()) {
            if (c.code().equals(code)) {
                return c;
            }
        }
        return ErrorCode.INTERNAL;
    }
}
