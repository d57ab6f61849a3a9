package dev.berth.api.spi;

import dev.berth.api.error.BerthException;
import dev.berth.api.spec.WorkloadSpec;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * What a backend can do. {@code unsupported} maps each spec field it cannot honour to the reason,
 * shown to the user; {@code features} are operations beyond the core lifecycle.
 */
public record Capabilities(Map<SpecField, String> unsupported, Set<Feature> features) {
    /**
     * Operations that not every backend offers. {@code RESTART_POLICY}: the backend enforces the
     * spec's restart policy itself; without it the engine's exit watcher does (never both).
     */
    public enum Feature {
        RESTART_POLICY, EXEC_STDIN, EXEC_TTY, STATS_STREAM, RESTART_IN_PLACE, COPY_IN, COPY_OUT, INTERNAL_NETWORKS,
        PUBLISHED_PORTS, IMAGE_IMPORT, IMAGE_PRUNE, PULL
    }

    public Capabilities {
        unsupported = Map.copyOf(unsupported);
        features = features.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(features));
    }

    public boolean supports(SpecField field) {
        return !unsupported.containsKey(field);
    }

    public boolean has(Feature feature) {
        return features.contains(feature);
    }

    /** Rejects the first field {@code spec} sets that this backend cannot honour. */
    public void check(WorkloadSpec spec, String backend) {
        for (SpecField field : SpecField.values()) {
            if (unsupported.containsKey(field) && field.isSetIn(spec)) {
                throw BerthException.unsupported(field.path(), backend, unsupported.get(field));
            }
        }
    }
}
