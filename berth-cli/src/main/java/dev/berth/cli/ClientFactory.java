package dev.berth.cli;

import dev.berth.api.client.BerthClient;
import dev.berth.docker.backend.DockerBackendProvider;
import dev.berth.engine.Engine;
import dev.berth.engine.EngineConfig;
import dev.berth.oci.OciBackendProvider;
import dev.berth.server.client.DaemonAddress;
import dev.berth.server.client.HttpBerthClient;
import java.util.List;
import java.util.Map;

/**
 * The one place that decides which {@link BerthClient} the CLI talks to: the daemon named by
 * --host / $BERTH_HOST (default unix:///run/berth/berth.sock), or with --embedded the engine in
 * this process. The daemon command builds its engine here too, so both see the same backends.
 * Detection order when no backend is named: docker, podman, then oci (no engine needed).
 */
final class ClientFactory {
    private static final List<String> BACKENDS = List.of("docker", "podman");
    static final String TOKEN_ENV = "BERTH_TOKEN";

    private ClientFactory() {
    }

    static BerthClient create(GlobalOptions options) {
        if (options.embedded()) {
            return engine(options).build();
        }
        return new HttpBerthClient(DaemonAddress.parse(options.host), System.getenv(TOKEN_ENV));
    }

    static Engine.Builder engine(GlobalOptions options) {
        var builder = Engine.builder()
                .dataDir(options.dataDir != null ? options.dataDir : EngineConfig.defaultDataDir())
                .defaultBackend(options.backend)
                .provider(DockerBackendProvider.docker())
                .provider(DockerBackendProvider.podman())
                .provider(OciBackendProvider.oci());
        if (options.engineSocket != null) {
            for (String backend : options.backend != null ? List.of(options.backend) : BACKENDS) {
                builder.backendSettings(backend, Map.of("socket", options.engineSocket));
            }
        }
        return builder;
    }
}
