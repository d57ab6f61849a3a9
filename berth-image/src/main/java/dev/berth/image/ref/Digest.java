package dev.berth.image.ref;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.berth.api.error.BerthException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** A content digest, {@code sha256:<64 lowercase hex>} (or {@code sha512:<128 hex>}). */
public record Digest(String algorithm, String hex) {
    private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");
    private static final Pattern SHA512 = Pattern.compile("[a-f0-9]{128}");
    private static final String ALLOWED = "allowed: sha256:<64 lowercase hex digits> or sha512:<128 hex digits>";

    public Digest {
        boolean valid = switch (algorithm) {
            case "sha256" -> hex != null && SHA256.matcher(hex).matches();
            case "sha512" -> hex != null && SHA512.matcher(hex).matches();
            case null, default -> false;
        };
        if (!valid) {
            throw BerthException.invalidField("digest", algorithm + ":" + hex, ALLOWED);
        }
    }

    @JsonCreator
    public static Digest parse(String value) {
        int colon = value == null ? -1 : value.indexOf(':');
        if (colon < 0) {
            throw BerthException.invalidField("digest", value, ALLOWED);
        }
        return new Digest(value.substring(0, colon), value.substring(colon + 1));
    }

    public static boolean isDigest(String value) {
        try {
            parse(value);
            return true;
        } catch (BerthException e) {
            return false;
        }
    }

    /** The sha256 digest of {@code bytes}. */
    public static Digest sha256(byte[] bytes) {
        return of("sha256", newSha256().digest(bytes));
    }

    public static MessageDigest newSha256() {
        return hasher("sha256");
    }

    /** The digest a finished hasher produced; {@code algorithm} is {@code sha256} or {@code sha512}. */
    public static Digest of(String algorithm, byte[] hash) {
        return new Digest(algorithm, HexFormat.of().formatHex(hash));
    }

    /** A fresh hasher for this digest's algorithm, to verify content against it. */
    public MessageDigest newHasher() {
        return hasher(algorithm);
    }

    /** The digest of what {@code hasher} (created by {@link #newHasher()}) has seen; finishes it. */
    public Digest sameAlgorithm(MessageDigest hasher) {
        return of(algorithm, hasher.digest());
    }

    /** The first 12 hex digits, as Docker shows image ids. */
    public String shortHex() {
        return hex.substring(0, 12);
    }

    private static MessageDigest hasher(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm.equals("sha256") ? "SHA-256" : "SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm, e);
        }
    }

    @JsonValue
    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
