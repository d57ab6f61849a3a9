package dev.berth.docker.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.Map;

/**
 * What the engine told us about itself, plus the API version we settled on.
 *
 * @param serverMinApi null when unknown (Podman via ping)
 * @param engineName "Docker Engine" or "Podman Engine"
 * @param raw        the full /version document
 */
public record EngineInfo(ApiVersion apiVersion, ApiVersion serverMaxApi, ApiVersion serverMinApi,
                         String engineName, String engineVersion, boolean podman,
                         String os, String arch, JsonNode raw) {

    /**
     * From the headers of an unversioned {@code GET /_ping}, when they identify Podman
     * ({@code Libpod-Api-Version}); null otherwise. Podman's /version takes most of a second
     * because it execs conmon and the OCI runtime, and its compat minimum has always been 1.24,
     * so the ping headers suffice there. {@link #raw()} is then a missing node.
     */
    public static EngineInfo fromPodmanPing(Map<String, String> headers, ApiVersion clientMax, ApiVersion clientMin) {
        String libpod = headers.get("Libpod-Api-Version");
        String api = headers.get("Api-Version");
        if (libpod == null || api == null || api.isBlank()) {
            return null;
        }
        ApiVersion serverMax = ApiVersion.parse(api);
        ApiVersion chosen = ApiVersion.negotiate(serverMax, null, clientMax, clientMin);
        return new EngineInfo(chosen, serverMax, null, "Podman Engine", libpod, true,
                "", "", MissingNode.getInstance());
    }

    /** Negotiates from a {@code GET /version} document and captures the engine identity. */
    public static EngineInfo negotiate(JsonNode version, ApiVersion clientMax, ApiVersion clientMin) {
        String max = version.path("ApiVersion").asText(null);
        if (max == null || max.isEmpty()) {
            throw new UnsupportedApiVersionException("Engine did not report ApiVersion in /version: it predates API 1.24");
        }
        ApiVersion serverMax = ApiVersion.parse(max);
        String min = version.path("MinAPIVersion").asText(null);
        ApiVersion serverMin = min == null || min.isEmpty() ? null : ApiVersion.parse(min);
        ApiVersion chosen = ApiVersion.negotiate(serverMax, serverMin, clientMax, clientMin);
        boolean podman = isPodman(version);
        String name = podman ? "Podman Engine" : "Docker Engine";
        String engineVersion = version.path("Version").asText("");
        for (JsonNode c : version.path("Components")) {
            String n = c.path("Name").asText("");
            if (podman ? n.contains("Podman") : n.equals("Engine")) {
                engineVersion = c.path("Version").asText(engineVersion);
                break;
            }
        }
        return new EngineInfo(chosen, serverMax, serverMin, name, engineVersion, podman,
                version.path("Os").asText(""), version.path("Arch").asText(""), version);
    }

    /** Podman's compat API identifies itself only through its component list. */
    public static boolean isPodman(JsonNode version) {
        for (JsonNode c : version.path("Components")) {
            if (c.path("Name").asText("").contains("Podman")) {
                return true;
            }
        }
        return false;
    }
}
