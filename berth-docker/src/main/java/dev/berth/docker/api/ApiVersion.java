package dev.berth.docker.api;

/** A Docker Engine API version such as 1.41; comparable numerically, so 1.9 &lt; 1.10. */
public record ApiVersion(int major, int minor) implements Comparable<ApiVersion> {
    public static final ApiVersion V1_40 = new ApiVersion(1, 40);
    public static final ApiVersion V1_41 = new ApiVersion(1, 41);
    public static final ApiVersion V1_43 = new ApiVersion(1, 43);

    /** Newest version this client was written against. */
    public static final ApiVersion CLIENT_MAX = V1_43;
    /** Older daemons lack features the backends rely on (e.g. wait conditions, platform in create). */
    public static final ApiVersion CLIENT_MIN = V1_40;

    public static ApiVersion parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("API version is missing");
        }
        String t = text.strip();
        if (t.startsWith("v")) {
            t = t.substring(1);
        }
        int dot = t.indexOf('.');
        try {
            if (dot < 0) {
                return new ApiVersion(Integer.parseInt(t), 0);
            }
            return new ApiVersion(Integer.parseInt(t.substring(0, dot)), Integer.parseInt(t.substring(dot + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Not an API version: '" + text + "'", e);
        }
    }

    /**
     * Picks min(clientMax, serverMax) and refuses when that is below what the server or we accept.
     *
     * @param serverMin may be null (very old daemons do not report it)
     */
    public static ApiVersion negotiate(ApiVersion serverMax, ApiVersion serverMin, ApiVersion clientMax, ApiVersion clientMin) {
        ApiVersion chosen = serverMax.compareTo(clientMax) < 0 ? serverMax : clientMax;
        if (chosen.compareTo(clientMin) < 0) {
            throw new UnsupportedApiVersionException("Engine API " + serverMax + " is too old: Berth needs at least "
                    + clientMin + " (Docker 19.03+ / Podman 3+)");
        }
        if (serverMin != null && chosen.compareTo(serverMin) < 0) {
            throw new UnsupportedApiVersionException("Engine requires API >= " + serverMin
                    + " but Berth speaks at most " + clientMax);
        }
        return chosen;
    }

    public boolean atLeast(ApiVersion other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(ApiVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    /** The URL prefix for versioned endpoints, e.g. {@code /v1.41}. */
    public String pathPrefix() {
        return "/v" + this;
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
