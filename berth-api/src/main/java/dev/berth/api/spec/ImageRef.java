package dev.berth.api.spec;

import dev.berth.api.error.BerthException;
import java.util.regex.Pattern;

/**
 * An image reference as users write it: {@code [registry[:port]/]repository[:tag][@digest]}.
 * {@link #registry()} is null when the reference names none (the backend's default applies).
 */
public record ImageRef(String registry, String repository, String tag, String digest) {
    private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final Pattern REPOSITORY = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-fA-F0-9]{32,}");
    private static final Pattern REGISTRY = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:]+\\])(?::[0-9]{1,5})?");
    private static final String ALLOWED = "allowed: [registry[:port]/]repository[:tag][@sha256:digest] with a"
            + " lowercase repository, e.g. 127.0.0.1:5000/app:1.2 or busybox:latest";

    public static ImageRef parse(String value) {
        return parse("image", value);
    }

    public static ImageRef parse(String field, String value) {
        if (value == null || value.isBlank() || value.length() > 4096 || !value.strip().equals(value)) {
            throw BerthException.invalidField(field, value, ALLOWED);
        }
        String rest = value;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                throw BerthException.invalidField(field, value, "the digest must look like sha256:<hex>; " + ALLOWED);
            }
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw BerthException.invalidField(field, value, "the tag must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}; " + ALLOWED);
            }
        }
        String registry = null;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost") || first.startsWith("[")) {
                registry = first;
                rest = rest.substring(slash + 1);
                if (!REGISTRY.matcher(registry).matches()) {
                    throw BerthException.invalidField(field, value, "the registry host is not valid; " + ALLOWED);
                }
            }
        }
        if (!REPOSITORY.matcher(rest).matches()) {
            throw BerthException.invalidField(field, value, ALLOWED);
        }
        return new ImageRef(registry, rest, tag, digest);
    }

    /** The repository including its registry, without tag or digest ({@code 127.0.0.1:5000/app}). */
    public String name() {
        return registry == null ? repository : registry + "/" + repository;
    }

    /** The tag, defaulting to {@code latest} when neither tag nor digest is given. */
    public String tagOrDefault() {
        return tag == null && digest == null ? "latest" : tag;
    }

    @Override
    public String toString() {
        return name() + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }
}
