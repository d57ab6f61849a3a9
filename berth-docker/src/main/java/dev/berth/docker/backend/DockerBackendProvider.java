package dev.berth.docker.backend;

import dev.berth.api.spi.Backend;
import dev.berth.api.spi.BackendProvider;
import java.util.Map;

/** Opens the Docker or the Podman flavour of the Engine-API backend (skeleton; being implemented). */
public final class DockerBackendProvider implements BackendProvider {
    private final String name;

    private DockerBackendProvider(String name) {
        this.name = name;
    }

    public static DockerBackendProvider docker() {
        return new DockerBackendProvider("docker");
    }

    public static DockerBackendProvider podman() {
        return new DockerBackendProvider("podman");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Backend open(Map<String, String> config) {
        throw new UnsupportedOperationException("docker backend not yet implemented");
    }
}
