package dev.berth.api.spi;

import dev.berth.api.spec.WorkloadSpec;
import java.util.Map;

/**
 * What the engine asks a backend to create. The spec is validated and already checked against
 * the backend's {@link Capabilities}; {@code owner} must be attached to every resource created.
 * {@code environment} is the final env (spec env plus the engine's rewrites, e.g. host alias).
 */
public record CreateRequest(WorkloadSpec spec, OwnerLabels owner, Map<String, String> environment) {
    public CreateRequest {
        environment = environment == null ? spec.env() : Map.copyOf(environment);
    }

    public String name() {
        return spec.name();
    }
}
