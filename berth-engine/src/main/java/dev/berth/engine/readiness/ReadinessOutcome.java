package dev.berth.engine.readiness;

import dev.berth.api.spi.BackendStatus;

/** How a readiness wait ended; {@code status} is the backend's last view of the workload. */
public sealed interface ReadinessOutcome {
    BackendStatus status();

    record Ready(BackendStatus status) implements ReadinessOutcome {
    }

    /** The workload exited before the probe passed. */
    record Exited(BackendStatus status) implements ReadinessOutcome {
    }

    /** The timeout passed; {@code lastError} is the probe's last reason (never null). */
    record TimedOut(BackendStatus status, String lastError) implements ReadinessOutcome {
    }
}
