package dev.berth.engine.backends;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.BackendInfo;
import dev.berth.api.spi.Backend;
import dev.berth.api.spi.BackendProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens backends on first use and keeps them open. An explicitly named backend that cannot be
 * opened is an error (fail fast); the default backend is the configured one, else the first
 * provider that opens.
 */
public final class BackendRegistry implements AutoCloseable {
    private final Map<String, BackendProvider> providers = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> settings;
    private final Map<String, String> common;
    private final String configuredDefault;
    private final Map<String, Backend> open = new ConcurrentHashMap<>();
    private volatile String detectedDefault;

    public BackendRegistry(List<BackendProvider> providers, Map<String, Map<String, String>> settings, String defaultBackend) {
        this(providers, settings, defaultBackend, Map.of());
    }

    /**
     * {@code common} settings go to every provider under its own settings (see
     * {@link BackendProvider#DATA_DIR}, {@link BackendProvider#OWNER_ID}).
     */
    public BackendRegistry(List<BackendProvider> providers, Map<String, Map<String, String>> settings, String defaultBackend,
                           Map<String, String> common) {
        providers.forEach(p -> this.providers.put(p.name(), p));
        this.settings = settings;
        this.common = Map.copyOf(common);
        this.configuredDefault = defaultBackend;
        if (defaultBackend != null && !this.providers.containsKey(defaultBackend)) {
            throw unknown(defaultBackend);
        }
    }

    /** The backend called {@code name}, or the default one when {@code name} is null. */
    public Backend get(String name) {
        if (name == null) {
            return defaultBackend();
        }
        BackendProvider provider = providers.get(name);
        if (provider == null) {
            throw unknown(name);
        }
        return open.computeIfAbsent(name, n -> provider.open(settingsOf(n)));
    }

    private Map<String, String> settingsOf(String name) {
        var merged = new LinkedHashMap<>(common);
        merged.putAll(settings.getOrDefault(name, Map.of()));
        return merged;
    }

    public String defaultName() {
        if (configuredDefault != null) {
            return configuredDefault;
        }
        defaultBackend();
        return detectedDefault;
    }

    private Backend defaultBackend() {
        if (configuredDefault != null) {
            return get(configuredDefault);
        }
        if (detectedDefault != null) {
            return get(detectedDefault);
        }
        var errors = new ArrayList<String>();
        for (String name : providers.keySet()) {
            try {
                Backend b = get(name);
                detectedDefault = name;
                return b;
            } catch (BerthException e) {
                errors.add(e.getMessage());
            }
        }
        throw new BerthException(ErrorCode.BACKEND_UNAVAILABLE, "no backend is available: " + String.join("; ", errors));
    }

    /** One entry per provider: the backend's own info when it opens, else why it does not. */
    public List<BackendInfo> describe() {
        var out = new ArrayList<BackendInfo>();
        for (String name : providers.keySet()) {
            try {
                out.add(get(name).info());
            } catch (BerthException e) {
                out.add(BackendInfo.unavailable(name, e.getMessage()));
            }
        }
        return out;
    }

    /** Backends opened so far (for operations that span backends, like listing networks). */
    public List<Backend> opened() {
        return List.copyOf(open.values());
    }

    private BerthException unknown(String name) {
        return new BerthException(ErrorCode.INVALID_ARGUMENT,
                "unknown backend '" + name + "'; allowed: " + String.join(", ", providers.keySet()), "backend", null);
    }

    @Override
    public void close() {
        open.values().forEach(Backend::close);
        open.clear();
    }
}
