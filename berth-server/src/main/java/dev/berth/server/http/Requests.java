package dev.berth.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.spec.Quantities;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.stream.Collectors;

/**
 * Reads what a request carries: JSON bodies (at most {@link #MAX_BODY} bytes, strictly) and query
 * parameters, each failure an invalid_argument naming the parameter or field.
 */
final class Requests {
    static final int MAX_BODY = 1 << 20;

    private Requests() {
    }

    static String bodyText(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_BODY) {
            throw tooLarge();
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] data = in.readNBytes(MAX_BODY + 1);
            if (data.length > MAX_BODY) {
                throw tooLarge();
            }
            return new String(data, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "cannot read the request body: " + e.getMessage(), e);
        }
    }

    static <T> T body(Context ctx, Class<T> type) {
        String text = bodyText(ctx);
        if (text.isBlank()) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "the request needs a JSON body (" + type.getSimpleName() + ")");
        }
        try {
            return ApiJson.strict().forType(type).readValue(text);
        } catch (UnrecognizedPropertyException e) {
            String field = e.getPropertyName();
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "unknown field '" + field + "'; allowed: "
                    + e.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")),
                    field, null);
        } catch (InvalidFormatException e) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, path(e) + ": invalid value '" + e.getValue() + "'; expected "
                    + e.getTargetType().getSimpleName(), path(e), null);
        } catch (MismatchedInputException e) {
            String field = path(e);
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, (field.isEmpty() ? "body" : field) + ": wrong type; expected "
                    + (e.getTargetType() == null ? "a different type" : e.getTargetType().getSimpleName()), field.isEmpty() ? null : field, null);
        } catch (com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid " + type.getSimpleName() + ": "
                    + (cause.getMessage() == null ? "a required field is missing" : cause.getMessage()));
        } catch (JsonProcessingException e) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "malformed JSON: " + e.getOriginalMessage(), null, null);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid " + type.getSimpleName() + ": " + e.getMessage());
        }
    }

    private static String path(com.fasterxml.jackson.databind.JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static BerthException tooLarge() {
        return new BerthException(ErrorCode.PAYLOAD_TOO_LARGE, "request body exceeds " + MAX_BODY + " bytes (1 MiB)");
    }

    static boolean flag(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) {
            return false;
        }
        return switch (value) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw invalid(name, value, "true or false");
        };
    }

    static Integer integer(Context ctx, String name, int min) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            int n = Integer.parseInt(value);
            if (n < min) {
                throw invalid(name, value, "an integer >= " + min);
            }
            return n;
        } catch (NumberFormatException e) {
            throw invalid(name, value, "an integer >= " + min);
        }
    }

    static long longValue(Context ctx, String name, long fallback) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(value);
            if (n < 0) {
                throw invalid(name, value, "an integer >= 0");
            }
            return n;
        } catch (NumberFormatException e) {
            throw invalid(name, value, "an integer >= 0");
        }
    }

    /** A duration as Berth writes them everywhere (10s, 1m30s, 500ms); null when absent. */
    static Duration duration(Context ctx, String name) {
        String value = ctx.queryParam(name);
        return value == null || value.isEmpty() ? null : Quantities.parseDuration(name, value);
    }

    static Instant instant(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw invalid(name, value, "an RFC 3339 time such as 2026-01-02T03:04:05Z");
        }
    }

    static String required(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "query parameter '" + name + "' is required", name, null);
        }
        return value;
    }

    static BerthException invalid(String name, String value, String allowed) {
        return new BerthException(ErrorCode.INVALID_ARGUMENT, name + ": invalid value '" + value + "'; allowed: " + allowed, name, null);
    }
}
