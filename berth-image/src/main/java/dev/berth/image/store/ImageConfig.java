package dev.berth.image.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.image.ref.Digest;
import dev.berth.image.ref.Platform;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a runtime needs from an image config blob. Lists are empty, never null; {@code entrypoint}
 * and {@code cmd} are empty when the image sets none. {@code diffIds} are the digests of the
 * uncompressed layers, in order.
 */
public record ImageConfig(List<String> env, List<String> entrypoint, List<String> cmd, String workingDir,
                          String user, Set<String> exposedPorts, Map<String, String> labels,
                          Platform platform, List<Digest> diffIds) {
    public ImageConfig {
        env = List.copyOf(env);
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        workingDir = workingDir == null ? "" : workingDir;
        user = user == null ? "" : user;
        exposedPorts = Set.copyOf(exposedPorts);
        labels = Map.copyOf(labels);
        diffIds = List.copyOf(diffIds);
    }

    public static ImageConfig parse(byte[] json) {
        JsonNode root;
        try {
            root = ImageJson.mapper().readTree(json);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.BACKEND_ERROR, "image config is not valid JSON: " + e.getMessage(), e);
        }
        JsonNode config = root.path("config");
        var ports = new LinkedHashSet<String>();
        config.path("ExposedPorts").fieldNames().forEachRemaining(ports::add);
        var labels = new LinkedHashMap<String, String>();
        config.path("Labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        var diffIds = new ArrayList<Digest>();
        for (JsonNode id : root.path("rootfs").path("diff_ids")) {
            diffIds.add(Digest.parse(id.asText()));
        }
        Platform platform = root.hasNonNull("os") && root.hasNonNull("architecture")
                ? new Platform(root.get("os").asText(), root.get("architecture").asText(), root.path("variant").asText(null))
                : null;
        return new ImageConfig(strings(config.path("Env")), strings(config.path("Entrypoint")),
                strings(config.path("Cmd")), config.path("WorkingDir").asText(""), config.path("User").asText(""),
                ports, labels, platform, diffIds);
    }

    private static List<String> strings(JsonNode array) {
        var out = new ArrayList<String>();
        for (JsonNode item : array) {
            out.add(item.asText());
        }
        return out;
    }
}
