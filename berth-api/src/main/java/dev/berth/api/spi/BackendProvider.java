package dev.berth.api.spi;

import java.util.Map;

/**
 * Opens a backend from configuration. The assembler (CLI, daemon, a Java user) hands providers to
 * the engine, so the engine never depends on a backend module.
 */
public interface BackendProvider {
    /** Setting the engine always passes: its data directory (image store at {@code <dataDir>/images}). */
    String DATA_DIR = "dataDir";
    /** Setting the engine always passes: its owner id (the {@code dev.berth.owner} label value). */
    String OWNER_ID = "ownerId";

    /** The backend name users select with {@code --backend} and in specs. */
    String name();

    /**
     * Opens the backend, or throws backend_unavailable with one line saying what is missing and
     * how to fix it. {@code config} holds backend-specific settings (e.g. "socket").
     */
    Backend open(Map<String, String> config);
}
