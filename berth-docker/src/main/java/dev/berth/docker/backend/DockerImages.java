package dev.berth.docker.backend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.Credentials;
import dev.berth.api.model.ImageInfo;
import dev.berth.api.model.PullProgress;
import dev.berth.api.spec.ImageRef;
import dev.berth.api.spec.PullPolicy;
import dev.berth.api.spi.ImageOps;
import dev.berth.docker.api.DockerClient;
import dev.berth.docker.api.DockerException;
import dev.berth.docker.api.ImagesApi;
import dev.berth.docker.api.NotFoundException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Image operations through the engine's image API. */
final class DockerImages implements ImageOps {
    private final String backend;
    private final DockerClient client;

    DockerImages(String backend, DockerClient client) {
        this.backend = backend;
        this.client = client;
    }

    @Override
    public ImageInfo pull(ImageRef ref, PullPolicy policy, Credentials credentials, Consumer<PullProgress> progress) {
        if (policy != PullPolicy.ALWAYS) {
            Optional<ImageInfo> present = find(ref);
            if (present.isPresent()) {
                return present.get();
            }
            if (policy == PullPolicy.NEVER) {
                throw new BerthException(ErrorCode.IMAGE_NOT_FOUND,
                        "image '" + ref + "' is not present on " + backend + " and pullPolicy is Never", "image", null);
            }
        }
        String auth = credentials == null ? null
                : ImagesApi.registryAuth(credentials.username(), credentials.password(), credentials.serverAddress());
        String tag = ref.digest() != null ? ref.digest() : ref.tagOrDefault();
        try {
            client.images().pull(ref.name(), tag, auth, json -> progress.accept(progress(ref, json)));
        } catch (DockerException e) {
            String msg = e.getMessage() == null ? "" : e.getMessage().toLowerCase();
            if (e instanceof NotFoundException || msg.contains("not found") || msg.contains("manifest unknown")
                    || msg.contains("does not exist")) {
                throw new BerthException(ErrorCode.IMAGE_NOT_FOUND, backend + ": image '" + ref + "' not found: " + e.getMessage(), e);
            }
            throw DockerErrors.translate(backend, "pull " + ref, e);
        }
        return find(ref).orElseThrow(() -> new BerthException(ErrorCode.IMAGE_NOT_FOUND,
                backend + ": pull of '" + ref + "' finished but the image is not present"));
    }

    private static PullProgress progress(ImageRef ref, JsonNode json) {
        JsonNode detail = json.path("progressDetail");
        return new PullProgress(ref.toString(), json.path("id").asText(null), json.path("status").asText(""),
                detail.path("current").asLong(), detail.path("total").asLong());
    }

    @Override
    public Optional<ImageInfo> find(ImageRef ref) {
        try {
            return Optional.of(info(client.images().inspect(ref.toString())));
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (DockerException e) {
            throw DockerErrors.translate(backend, "inspect image " + ref, e);
        }
    }

    @Override
    public dev.berth.api.model.ImageDetails inspect(String ref) {
        JsonNode i = DockerErrors.call(backend, "inspect image " + ref, () -> client.images().inspect(ref));
        JsonNode c = i.path("Config");
        JsonNode created = i.path("Created");
        var labels = new java.util.LinkedHashMap<String, String>();
        c.path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        var ports = new ArrayList<String>();
        c.path("ExposedPorts").fieldNames().forEachRemaining(ports::add);
        String platform = i.path("Os").asText("") + "/" + i.path("Architecture").asText("")
                + (i.path("Variant").asText("").isEmpty() ? "" : "/" + i.path("Variant").asText());
        return new dev.berth.api.model.ImageDetails(backend, ref, i.path("Id").asText(), i.path("RepoDigests").path(0).asText(null),
                strings(i.path("RepoTags")), i.path("Size").asLong(),
                created.isNumber() ? Instant.ofEpochSecond(created.asLong()) : InspectMapper.instant(created.asText(null)),
                platform, strings(i.path("RootFS").path("Layers")), strings(c.path("Env")),
                c.path("Entrypoint").isArray() ? strings(c.path("Entrypoint")) : null,
                c.path("Cmd").isArray() ? strings(c.path("Cmd")) : null,
                c.path("WorkingDir").asText(""), c.path("User").asText(""), ports, labels);
    }

    private static List<String> strings(JsonNode array) {
        var out = new ArrayList<String>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static ImageInfo info(JsonNode image) {
        var tags = new ArrayList<String>();
        image.path("RepoTags").forEach(t -> tags.add(t.asText()));
        JsonNode created = image.path("Created");
        Instant at = created.isNumber() ? Instant.ofEpochSecond(created.asLong()) : InspectMapper.instant(created.asText(null));
        return new ImageInfo(image.path("Id").asText(), tags, image.path("Size").asLong(), at);
    }

    @Override
    public List<ImageInfo> list() {
        var out = new ArrayList<ImageInfo>();
        DockerErrors.call(backend, "list images", () -> client.images().list(false, null)).forEach(i -> out.add(info(i)));
        return out;
    }

    @Override
    public boolean remove(String ref, boolean force) {
        return DockerErrors.call(backend, "remove image " + ref, () -> client.images().remove(ref, force));
    }

    @Override
    public List<String> prune() {
        JsonNode result = DockerErrors.call(backend, "prune images", () -> client.images().prune(true));
        var out = new ArrayList<String>();
        result.path("ImagesDeleted").forEach(d -> {
            String id = d.path("Deleted").asText(d.path("Untagged").asText(""));
            if (!id.isEmpty()) {
                out.add(id);
            }
        });
        return out;
    }

    @Override
    public void tag(String source, ImageRef target) {
        DockerErrors.run(backend, "tag " + source + " as " + target,
                () -> client.images().tag(source, target.name(), target.tagOrDefault()));
    }

    @Override
    public void load(InputStream dockerArchive) {
        DockerErrors.call(backend, "load image archive", () -> client.images().load(dockerArchive));
    }

    @Override
    public ImageInfo importRootfs(InputStream tarball, ImageRef target, List<String> changes) {
        DockerErrors.call(backend, "import image " + target,
                () -> client.images().importRootfs(tarball, target.name(), target.tagOrDefault(), changes, p -> { }));
        return find(target).orElseThrow(() -> new BerthException(ErrorCode.BACKEND_ERROR,
                backend + ": import of '" + target + "' finished but the image is not present"));
    }
}
