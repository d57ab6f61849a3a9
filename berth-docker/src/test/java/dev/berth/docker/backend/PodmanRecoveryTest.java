package dev.berth.docker.backend;

import dev.berth.api.spi.BackendProvider;

/** Crash recovery (reconcile, reaper, foreign owners) against the real Podman service. */
class PodmanRecoveryTest extends BackendRecoveryCases {
    @Override
    protected BackendProvider provider() {
        return DockerBackendProvider.podman();
    }
}
