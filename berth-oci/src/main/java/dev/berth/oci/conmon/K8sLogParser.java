package dev.berth.oci.conmon;

import dev.berth.api.model.LogLine;
import dev.berth.api.model.LogStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads conmon's k8s-file log format, one record per line:
 * {@code 2026-11-22T10:17:48.430318839+00:00 stdout F text}. {@code P} marks a partial record
 * (a long line split, or output without a final newline) that the next records of the same
 * stream complete; {@code F} ends the line.
 */
public final class K8sLogParser {
    private final Map<LogStream, StringBuilder> partial = new EnumMap<>(LogStream.class);
    private final Map<LogStream, Instant> partialSince = new EnumMap<>(LogStream.class);

    /** The completed line this record ends, or empty for a partial record or a malformed one. */
    public Optional<LogLine> accept(String record) {
        int a = record.indexOf(' ');
        int b = a < 0 ? -1 : record.indexOf(' ', a + 1);
        int c = b < 0 ? -1 : record.indexOf(' ', b + 1);
        if (c < 0) {
            return Optional.empty();
        }
        Instant at = instant(record.substring(0, a));
        LogStream stream = record.substring(a + 1, b).equals("stderr") ? LogStream.STDERR : LogStream.STDOUT;
        String tag = record.substring(b + 1, c);
        String text = record.substring(c + 1);
        StringBuilder pending = partial.get(stream);
        if (tag.startsWith("P")) {
            if (pending == null) {
                partial.put(stream, new StringBuilder(text));
                partialSince.put(stream, at);
            } else {
                pending.append(text);
            }
            return Optional.empty();
        }
        if (pending != null) {
            partial.remove(stream);
            Instant since = partialSince.remove(stream);
            return Optional.of(new LogLine(stream, since, pending.append(text).toString()));
        }
        return Optional.of(new LogLine(stream, at, text));
    }

    /** Partial output left when the process ended without a final newline. */
    public java.util.List<LogLine> flush() {
        var out = new java.util.ArrayList<LogLine>();
        partial.forEach((stream, text) -> out.add(new LogLine(stream, partialSince.get(stream), text.toString())));
        partial.clear();
        partialSince.clear();
        return out;
    }

    static Instant instant(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
