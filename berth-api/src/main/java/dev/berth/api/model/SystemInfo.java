package dev.berth.api.model;

import java.util.List;

/** The answer to {@code berth info}. */
public record SystemInfo(String berthVersion, String ownerId, String dataDir, String defaultBackend,
                         List<BackendInfo> backends) {
}
