package dev.berth.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How an engine is assembled: where it keeps its records, which backends it may open (in the
 * order detection tries them), settings per backend, and the default backend (null = detect).
 */
public record EngineConfig(Path dataDir, String defaultBackend, Map<String, Map<String, String>> backendSettings,
                           List<String> detectionOrder) {
    public static final String DATA_DIR_ENV = "BERTH_DATA_DIR";
    public static final Path DEFAULT_DATA_DIR = Path.of("/var/lib/berth");

    public EngineConfig {
        backendSettings = backendSettings == null ? Map.of() : Map.copyOf(backendSettings);
        detectionOrder = detectionOrder == null ? List.of("docker", "podman") : List.copyOf(detectionOrder);
    }

    /** The data dir users get: {@code BERTH_DATA_DIR} when set, else /var/lib/berth. */
    public static Path defaultDataDir() {
        String env = System.getenv(DATA_DIR_ENV);
        return env == null || env.isBlank() ? DEFAULT_DATA_DIR : Path.of(env);
    }
}
