package dev.berth.docker.backend;

import dev.berth.api.spi.BackendProvider;
import dev.berth.api.spi.SpecField;
import dev.berth.testkit.ConformanceSuite;
import java.util.Set;

/** The conformance kit against the real Podman service (Docker-compatible socket) on this machine. */
class PodmanConformanceTest extends ConformanceSuite {
    @Override
    protected BackendProvider provider() {
        return DockerBackendProvider.podman();
    }

    @Override
    public Set<SpecField> unsupportedFields() {
        return Set.of(SpecField.SECURITY_GROUPS, SpecField.VOLUME_SIZE, SpecField.VOLUME_ENCRYPTED, SpecField.ISOLATION_SANDBOX);
    }
}
