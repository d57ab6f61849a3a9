package dev.berth.docker.backend;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.spi.Backend;
import dev.berth.api.spi.BackendProvider;
import dev.berth.docker.api.DockerClient;
import dev.berth.docker.api.DockerEndpoints;
import dev.berth.docker.api.DockerException;
import java.util.Map;

/**
 * Opens the Engine-API backend as "docker" or as "podman". Setting {@code socket} names the
 * socket explicitly; otherwise discovery tries DOCKER_HOST and the usual paths for that engine.
 */
public final class DockerBackendProvider implements BackendProvider {
    public static final String SOCKET = "socket";

    private final String name;
    private final DockerEndpoints.Engine engine;

    private DockerBackendProvider(String name, DockerEndpoints.Engine engine) {
        this.name = name;
        this.engine = engine;
    }

    public static DockerBackendProvider docker() {
        return new DockerBackendProvider("docker", DockerEndpoints.Engine.DOCKER);
    }

    public static DockerBackendProvider podman() {
        return new DockerBackendProvider("podman", DockerEndpoints.Engine.PODMAN);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Backend open(Map<String, String> config) {
        DockerClient client;
        try {
            String socket = config.get(SOCKET);
            client = socket != null ? DockerClient.connect(DockerEndpoints.parse(socket))
                    : DockerClient.connect(DockerEndpoints.system().locate(engine));
        } catch (DockerException e) {
            throw new BerthException(ErrorCode.BACKEND_UNAVAILABLE, name + " backend unavailable: " + e.getMessage(), e);
        }
        if (engine == DockerEndpoints.Engine.PODMAN && !client.isPodman()) {
            client.close();
            throw new BerthException(ErrorCode.BACKEND_UNAVAILABLE,
                    "podman backend: the socket " + client.socket() + " is not a Podman service (it reports " + client.engineName() + ")");
        }
        try {
            return new DockerBackend(name, client);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }
}
