package dev.berth.image.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import java.io.IOException;
import java.util.List;

/** A parsed manifest document: an image manifest or an index of manifests (one per platform). */
public sealed interface Manifest permits Manifest.Image, Manifest.Index {

    String mediaType();

    /** An OCI image manifest or a Docker v2 schema 2 manifest. */
    record Image(String mediaType, Descriptor config, List<Descriptor> layers) implements Manifest {
        public Image {
            layers = List.copyOf(layers);
        }
    }

    /** An OCI image index or a Docker manifest list. */
    record Index(String mediaType, List<Descriptor> manifests) implements Manifest {
        public Index {
            manifests = List.copyOf(manifests);
        }
    }

    /**
     * Parses a manifest body. The body's own {@code mediaType} wins over {@code contentType}
     * (registries sometimes answer with a generic type); OCI documents may omit both.
     */
    static Manifest parse(byte[] body, String contentType) {
        JsonNode root;
        try {
            root = ImageJson.mapper().readTree(body);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.BACKEND_ERROR, "manifest is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new BerthException(ErrorCode.BACKEND_ERROR, "manifest is not a JSON object");
        }
        String mediaType = root.path("mediaType").asText(null);
        if (mediaType == null && contentType != null && !contentType.isBlank()) {
            mediaType = contentType.split(";")[0].strip();
        }
        if (mediaType == null || !(MediaTypes.isIndex(mediaType) || MediaTypes.isManifest(mediaType))) {
            if (root.path("schemaVersion").asInt() == 1 || MediaTypes.DOCKER_SCHEMA1.equals(mediaType)
                    || MediaTypes.DOCKER_SCHEMA1_SIGNED.equals(mediaType)) {
                throw new BerthException(ErrorCode.UNSUPPORTED,
                        "Docker image manifest schema 1 is not supported (deprecated); push the image again with a current client");
            }
            mediaType = root.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
        }
        try {
            if (MediaTypes.isIndex(mediaType)) {
                var manifests = ImageJson.mapper().convertValue(root.path("manifests"), Descriptor[].class);
                return new Index(mediaType, manifests == null ? List.of() : List.of(manifests));
            }
            Descriptor config = ImageJson.mapper().convertValue(root.get("config"), Descriptor.class);
            var layers = ImageJson.mapper().convertValue(root.path("layers"), Descriptor[].class);
            if (config == null || config.digest() == null) {
                throw new BerthException(ErrorCode.BACKEND_ERROR, "image manifest has no config descriptor");
            }
            return new Image(mediaType, config, layers == null ? List.of() : List.of(layers));
        } catch (IllegalArgumentException e) {
            throw new BerthException(ErrorCode.BACKEND_ERROR, "manifest is malformed: " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null) {
            e = e.getCause();
        }
        return e.getMessage();
    }
}
