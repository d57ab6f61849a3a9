package dev.berth.api.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One image in detail: where it lives ({@code store} = "berth" for Berth's own store, else the
 * backend's name), its identity, layers, and the config a workload inherits from it.
 */
public record ImageDetails(String store, String reference, String id, String digest, List<String> tags, long sizeBytes,
                           Instant created, String platform, List<String> layers, List<String> env,
                           List<String> entrypoint, List<String> cmd, String workingDir, String user,
                           List<String> exposedPorts, Map<String, String> labels) {
    public ImageDetails {
        tags = tags == null ? List.of() : List.copyOf(tags);
        layers = layers == null ? List.of() : List.copyOf(layers);
        env = env == null ? List.of() : List.copyOf(env);
        exposedPorts = exposedPorts == null ? List.of() : List.copyOf(exposedPorts);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
