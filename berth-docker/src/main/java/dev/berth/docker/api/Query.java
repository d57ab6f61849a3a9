package dev.berth.docker.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Builds a percent-encoded query string; keeps parameter order for readable logs. */
final class Query {
    private final StringBuilder sb = new StringBuilder();

    static Query of() {
        return new Query();
    }

    Query add(String name, Object value) {
        if (value != null) {
            sb.append(sb.isEmpty() ? '?' : '&').append(name).append('=')
                    .append(URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
        }
        return this;
    }

    /** Docker booleans: "1"/"0" are accepted by both Docker and Podman. */
    Query flag(String name, boolean value) {
        return add(name, value ? "1" : "0");
    }

    Query flagIf(String name, boolean value) {
        return value ? flag(name, true) : this;
    }

    /** Docker's filters parameter: JSON object of name to list of values. */
    Query filters(Map<String, List<String>> filters) {
        if (filters == null || filters.isEmpty()) {
            return this;
        }
        var node = Json.object();
        filters.forEach((k, vs) -> {
            var arr = node.putArray(k);
            vs.forEach(arr::add);
        });
        return add("filters", node.toString());
    }

    @Override
    public String toString() {
        return sb.toString();
    }

    /** Percent-encodes a path segment; keeps '/' and ':' because image references contain them. */
    static String path(String segment) {
        StringBuilder out = new StringBuilder(segment.length());
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '/' || c == ':' || c == '@') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return out.toString();
    }

    /** {@code key=value} label filters; a null value matches on the key alone. */
    static List<String> labelFilter(Map<String, String> labels) {
        return labels.entrySet().stream()
                .map(e -> e.getValue() == null ? e.getKey() : e.getKey() + "=" + e.getValue())
                .toList();
    }
}
