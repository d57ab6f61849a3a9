package dev.berth.image.ref;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.api.error.BerthException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An image platform as image indexes describe it ({@code os/architecture[/variant]}).
 * Architectures are kept in their OCI (GOARCH) spelling: {@code x86_64} becomes {@code amd64},
 * {@code aarch64} becomes {@code arm64}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Platform(
        @JsonProperty("os") String os,
        @JsonProperty("architecture") String architecture,
        @JsonProperty("variant") String variant) {
    private static final Pattern WORD = Pattern.compile("[a-z0-9_.-]{1,32}");
    private static final String ALLOWED = "allowed: os/architecture[/variant], e.g. linux/amd64 or linux/arm64/v8";

    public Platform {
        os = os == null ? null : os.toLowerCase(Locale.ROOT);
        architecture = architecture == null ? null : normalizeArchitecture(architecture);
        variant = variant == null || variant.isEmpty() ? null : variant.toLowerCase(Locale.ROOT);
    }

    public static Platform parse(String value) {
        String[] parts = value == null ? new String[0] : value.split("/", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw BerthException.invalidField("platform", value, ALLOWED);
        }
        for (String part : parts) {
            if (!WORD.matcher(part.toLowerCase(Locale.ROOT)).matches()) {
                throw BerthException.invalidField("platform", value, ALLOWED);
            }
        }
        return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
    }

    /** Linux on this JVM's architecture: containers run Linux images whatever the host says. */
    public static Platform host() {
        String arch = normalizeArchitecture(System.getProperty("os.arch", "amd64"));
        return new Platform("linux", arch, arch.equals("arm") ? "v7" : null);
    }

    static String normalizeArchitecture(String arch) {
        return switch (arch.toLowerCase(Locale.ROOT)) {
            case "x86_64", "x86-64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "i386", "i686", "x86", "386" -> "386";
            case "armhf", "armv7l", "arm" -> "arm";
            default -> arch.toLowerCase(Locale.ROOT);
        };
    }

    /**
     * Whether an image for {@code candidate} runs here: same os and architecture, and the same
     * variant when this platform names one ({@code arm64} without variant equals {@code arm64/v8}).
     */
    public boolean accepts(Platform candidate) {
        if (candidate == null || !os.equals(candidate.os) || !architecture.equals(candidate.architecture)) {
            return false;
        }
        return variant == null || effectiveVariant(variant).equals(effectiveVariant(candidate.variant));
    }

    /** True when {@code candidate}'s variant is exactly this platform's (preferred among accepted ones). */
    public boolean exactVariant(Platform candidate) {
        return effectiveVariant(variant).equals(effectiveVariant(candidate.variant));
    }

    private String effectiveVariant(String v) {
        if (v != null) {
            return v;
        }
        return switch (architecture) {
            case "arm64" -> "v8";
            case "arm" -> "v7";
            default -> "";
        };
    }

    @JsonIgnore
    public boolean isUnknown() {
        return "unknown".equals(os) || "unknown".equals(architecture);
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
}
