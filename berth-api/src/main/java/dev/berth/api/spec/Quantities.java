package dev.berth.api.spec;

import dev.berth.api.error.BerthException;
import java.time.Duration;
import java.util.regex.Pattern;

/** Parses the size and duration strings users write in specs and on the command line. */
public final class Quantities {
    public static final String SIZE_ALLOWED =
            "allowed: a byte count, or a number with unit Ki, Mi, Gi, Ti (1024-based), K, M, G, T (1000-based)"
                    + " or k, m, g (Docker-style, 1024-based), e.g. 256Mi";
    public static final String DURATION_ALLOWED =
            "allowed: a number with unit ms, s, m or h (e.g. 500ms, 10s, 2m), or plain seconds";

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(Ki|Mi|Gi|Ti|K|M|G|T|k|m|g|b)?");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    private Quantities() {
    }

    /** Bytes for {@code value}, or an error naming {@code field}. */
    public static long parseBytes(String field, String value) {
        var m = value == null ? null : SIZE.matcher(value.trim());
        if (m == null || !m.matches()) {
            throw BerthException.invalidField(field, value, SIZE_ALLOWED);
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        long multiplier = switch (unit) {
            case "b" -> 1L;
            case "K" -> 1000L;
            case "M" -> 1000L * 1000;
            case "G" -> 1000L * 1000 * 1000;
            case "T" -> 1000L * 1000 * 1000 * 1000;
            case "Ki", "k" -> 1L << 10;
            case "Mi", "m" -> 1L << 20;
            case "Gi", "g" -> 1L << 30;
            case "Ti" -> 1L << 40;
            default -> throw BerthException.invalidField(field, value, SIZE_ALLOWED);
        };
        double bytes = n * multiplier;
        if (bytes < 1 || bytes > Long.MAX_VALUE / 2) {
            throw BerthException.invalidField(field, value, "must be at least 1 byte; " + SIZE_ALLOWED);
        }
        return (long) bytes;
    }

    public static Duration parseDuration(String field, String value) {
        var m = value == null ? null : DURATION.matcher(value.trim());
        if (m == null || !m.matches()) {
            throw BerthException.invalidField(field, value, DURATION_ALLOWED);
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double millis = switch (unit) {
            case "ms" -> n;
            case "s" -> n * 1000;
            case "m" -> n * 60_000;
            case "h" -> n * 3_600_000;
            default -> throw BerthException.invalidField(field, value, DURATION_ALLOWED);
        };
        return Duration.ofMillis(Math.round(millis));
    }

    /** Formats a byte count the way users write it (256Mi), for display and round trips. */
    public static String formatBytes(long bytes) {
        String[] units = {"Ti", "Gi", "Mi", "Ki"};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << (10 * (units.length - i));
            if (bytes >= unit && bytes % unit == 0) {
                return (bytes / unit) + units[i];
            }
        }
        return Long.toString(bytes);
    }
}
