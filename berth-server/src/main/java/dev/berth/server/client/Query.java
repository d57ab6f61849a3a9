package dev.berth.server.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Builds query strings and path segments with every value percent-encoded. */
final class Query {
    private final StringBuilder text = new StringBuilder();

    static Query builder() {
        return new Query();
    }

    /** "?name=value", or "" when value is null. */
    static String of(String name, String value) {
        return builder().add(name, value).build();
    }

    Query add(String name, String value) {
        if (value != null) {
            text.append(text.isEmpty() ? '?' : '&').append(name).append('=').append(encode(value));
        }
        return this;
    }

    String build() {
        return text.toString();
    }

    static String segment(String value) {
        return encode(value).replace("+", "%20");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
