package dev.berth.api.error;

/**
 * The one exception type Berth throws to its users. {@link #field()} names the spec field or
 * argument at fault when there is one, so clients can point at it.
 */
public class BerthException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String field;

    public BerthException(ErrorCode code, String message) {
        this(code, message, null, null);
    }

    public BerthException(ErrorCode code, String message, Throwable cause) {
        this(code, message, null, cause);
    }

    public BerthException(ErrorCode code, String message, String field, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.field = field;
    }

    public static BerthException invalidField(String field, Object value, String allowed) {
        return new BerthException(ErrorCode.INVALID_SPEC,
                field + ": invalid value " + quote(value) + "; " + allowed, field, null);
    }

    public static BerthException unsupported(String field, String backend, String why) {
        return new BerthException(ErrorCode.UNSUPPORTED,
                field + ": not supported by backend '" + backend + "'" + (why == null ? "" : " (" + why + ")"),
                field, null);
    }

    public static BerthException notFound(String what) {
        return new BerthException(ErrorCode.NOT_FOUND, what + " not found");
    }

    private static String quote(Object value) {
        return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
    }

    public ErrorCode code() {
        return code;
    }

    public String field() {
        return field;
    }
}
