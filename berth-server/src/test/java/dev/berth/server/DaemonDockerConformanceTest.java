package dev.berth.server;

import dev.berth.api.client.BerthClient;
import dev.berth.api.spi.BackendProvider;
import dev.berth.api.spi.SpecField;
import dev.berth.docker.backend.DockerBackendProvider;
import dev.berth.testkit.ConformanceSuite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * The whole conformance kit through the daemon: every scenario drives HttpBerthClient over the
 * unix socket into a real daemon whose engine uses the real dockerd. What passes in-process must
 * pass identically over the REST API (statuses, errors, logs, exec, streams).
 */
class DaemonDockerConformanceTest extends ConformanceSuite {
    @Override
    protected BackendProvider provider() {
        return DockerBackendProvider.docker();
    }

    @Override
    protected BerthClient openClient(BackendProvider provider, Path dataDir) {
        try {
            return DaemonFixture.start(provider, backendSettings(), false).owningClient();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Set<SpecField> unsupportedFields() {
        return Set.of(SpecField.SECURITY_GROUPS, SpecField.VOLUME_SIZE, SpecField.VOLUME_ENCRYPTED, SpecField.ISOLATION_SANDBOX);
    }
}
