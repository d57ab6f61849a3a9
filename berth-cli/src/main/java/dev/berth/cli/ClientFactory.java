package dev.berth.cli;

import dev.berth.api.client.BerthClient;
import dev.berth.docker.backend.DockerBackendProvider;
import dev.berth.engine.Engine;
import dev.berth.engine.EngineConfig;
import java.util.List;
import java.util.Map;

/**
 * The one place that decides which {@link BerthClient} the CLI talks to. Today that is the
 * in-process engine; the daemon's HTTP client (--host, BERTH_HOST) plugs in here.
 */
final class ClientFactory {
    private static final List<String> BACKENDS = List.of("docker", "podman");

    private ClientFactory() {
    }

    static BerthClient create(GlobalOptions options) {
        var builder = Engine.builder()
                .dataDir(options.dataDir != null ? options.dataDir : EngineConfig.defaultDataDir())
                .defaultBackend(options.backend)
                .provider(DockerBackendProvider.docker())
                .provider(DockerBackendProvider.podman());
        if (options.socket != null) {
            for (String backend : options.backend != null ? List.of(options.backend) : BACKENDS) {
                builder.backendSettings(backend, Map.of("socket", options.socket));
            }
        }
        return builder.build();
    }
}
