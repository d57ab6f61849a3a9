package dev.berth.docker.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** {@code /images/...}. Obtain from {@link DockerClient#images()}. */
public final class ImagesApi {
    private final Transport t;

    ImagesApi(Transport t) {
        this.t = t;
    }

    /** @param labels label filters (key to value, or key to null); may be null */
    public JsonNode list(boolean all, Map<String, String> labels) {
        Query q = Query.of().flagIf("all", all);
        if (labels != null && !labels.isEmpty()) {
            q.filters(Map.of("label", Query.labelFilter(labels)));
        }
        return t.get("/images/json", q);
    }

    /** @throws NotFoundException when the image is not present locally */
    public JsonNode inspect(String name) {
        return t.get("/images/" + Query.path(name) + "/json", null);
    }

    /** @return false when there was no such image */
    public boolean remove(String name, boolean force) {
        try {
            t.send("DELETE", "/images/" + Query.path(name), Query.of().flagIf("force", force), null);
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /**
     * @param danglingOnly true: only untagged images; false: every image no container uses
     * @return the daemon's report (ImagesDeleted, SpaceReclaimed)
     */
    public JsonNode prune(boolean danglingOnly) {
        return t.json("POST", "/images/prune",
                Query.of().filters(Map.of("dangling", List.of(danglingOnly ? "true" : "false"))), null);
    }

    public void tag(String source, String repo, String tag) {
        t.send("POST", "/images/" + Query.path(source) + "/tag", Query.of().add("repo", repo).add("tag", tag), null);
    }

    /**
     * Creates an image from a root filesystem tar, streamed chunked.
     *
     * @param changes Dockerfile instructions applied on import, e.g. {@code CMD ["/bin/sh"]}
     * @param progress called per progress document; may be null
     * @return the new image id ({@code sha256:...})
     */
    /**
     * Loads images from a docker-archive tar ({@code docker save} format) and returns the
     * "Loaded image" lines the engine reports. Errors inside the stream become exceptions.
     */
    public List<String> load(InputStream dockerArchive) {
        HttpRequest req = t.request("POST", "/images/load", Query.of().add("quiet", "1"))
                .withBody(new HttpRequest.Streamed(dockerArchive, -1, "application/x-tar"));
        var loaded = new java.util.ArrayList<String>();
        t.consumeProgress(t.call(req), json -> {
            String line = json.path("stream").asText("").trim();
            if (!line.isEmpty()) {
                loaded.add(line);
            }
        });
        return loaded;
    }

    public String importRootfs(InputStream tar, String repo, String tag, List<String> changes, Consumer<JsonNode> progress) {
        // "repo:tag" in repo alone: Podman 4.3 ignores the separate tag parameter (tags "latest").
        String ref = tag == null || tag.isEmpty() ? repo : repo + ":" + tag;
        Query q = Query.of().add("fromSrc", "-").add("repo", ref);
        if (changes != null) {
            changes.forEach(c -> q.add("changes", c));
        }
        HttpRequest req = t.request("POST", "/images/create", q)
                .withBody(new HttpRequest.Streamed(tar, -1, "application/x-tar"));
        JsonNode last = t.consumeProgress(t.call(req), progress);
        // Both engines end with {"status":"sha256:..."}; ask if a future one does not.
        String status = last == null ? "" : last.path("status").asText("");
        return status.startsWith("sha256:") ? status : inspect(ref).path("Id").asText();
    }

    /**
     * Pulls an image; returns when the pull finished.
     *
     * @param registryAuth base64url JSON credentials for X-Registry-Auth (see {@link #registryAuth}), or null
     * @param progress     called per progress document; may be null
     * @throws StreamErrorException when the daemon reports an error in the progress stream
     */
    public void pull(String fromImage, String tag, String registryAuth, Consumer<JsonNode> progress) {
        HttpRequest req = t.request("POST", "/images/create", Query.of().add("fromImage", fromImage).add("tag", tag));
        if (registryAuth != null) {
            req = req.withHeader("X-Registry-Auth", registryAuth);
        }
        t.consumeProgress(t.call(req), progress);
    }

    /** Encodes credentials the way the daemon expects in X-Registry-Auth. */
    public static String registryAuth(String username, String password, String serverAddress) {
        var n = Json.object().put("username", username).put("password", password);
        if (serverAddress != null) {
            n.put("serveraddress", serverAddress);
        }
        return Base64.getUrlEncoder().encodeToString(n.toString().getBytes(StandardCharsets.UTF_8));
    }
}
